// Where an S3-compatible store is and who we are to it, found the way the AWS tools find it:
// environment first, then the shared credentials and config files of a profile.
#pragma once

#include <string>

#include "facetag/status.h"

namespace facetag::storage {

struct S3Config {
  std::string endpoint;  // scheme://host[:port], no trailing slash
  std::string region;
  std::string access_key_id;
  std::string secret_access_key;  // never logged, never in an error message
  std::string session_token;      // temporary credentials only
  // Path-style addressing (endpoint/bucket/key): what MinIO and other self-hosted stores serve.
  // AWS's own endpoint gets virtual-hosted addressing (bucket.endpoint/key).
  bool path_style = true;
  std::string ca_bundle;  // AWS_CA_BUNDLE: extra trust for a store with a private CA
  size_t list_page_size = 1000;
};

// Reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION (or
// AWS_DEFAULT_REGION), AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_S3), AWS_CA_BUNDLE; without keys in
// the environment, the profile AWS_PROFILE (else "default") of AWS_SHARED_CREDENTIALS_FILE (else
// ~/.aws/credentials), its region from AWS_CONFIG_FILE (else ~/.aws/config). Without an endpoint:
// AWS itself. FACETAG_S3_PAGE_SIZE caps the keys per listing page (tests make listings multi-page).
Result<S3Config> S3ConfigFromEnvironment();

}  // namespace facetag::storage
