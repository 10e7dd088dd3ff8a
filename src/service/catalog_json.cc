#include "service/catalog_json.h"

namespace facetag::service {

using json = nlohmann::json;

json BoxJson(const Box& b) { return json::array({b.x, b.y, b.width, b.height}); }

json PersonJson(const PersonSummary& p) {
  return {{"id", p.person.id},          {"name", p.person.name},        {"hidden", p.person.hidden},
          {"face_count", p.face_count}, {"photo_count", p.photo_count}, {"sample_face_id", p.sample_face_id}};
}

Result<json> PersonById(Catalog& catalog, int64_t id) {
  auto all = catalog.ListPersons(true);
  FACETAG_RETURN_IF_ERROR(all.status());
  for (const auto& p : *all)
    if (p.person.id == id) return PersonJson(p);
  // A person with no faces is not in the summary list.
  auto person = catalog.GetPerson(id);
  FACETAG_RETURN_IF_ERROR(person.status());
  PersonSummary s;
  s.person = *person;
  return PersonJson(s);
}

json FaceOwnerJson(Catalog& catalog, int64_t person_id) {
  if (!person_id) return nullptr;
  auto p = catalog.GetPerson(person_id);
  if (!p.ok()) return nullptr;
  return {{"id", p->id}, {"name", p->name}};
}

json PhotoJson(const PhotoRecord& photo, int64_t face_count) {
  return {{"id", photo.id},
          {"path", photo.path},
          {"width", photo.width},
          {"height", photo.height},
          {"status", PhotoStatusName(photo.status)},
          {"face_count", face_count}};
}

json PhotoJson(Catalog& catalog, const PhotoRecord& photo) {
  auto faces = catalog.FacesOfPhoto(photo.id);
  return PhotoJson(photo, faces.ok() ? static_cast<int64_t>(faces->size()) : 0);
}

}  // namespace facetag::service
