// A real S3-protocol server on loopback for the object storage tests: s3rver (an S3 server in
// Node, objects in a folder), with two things s3rver 3.7.1 does not do itself:
//  - it checks every request's AWS Signature Version 4 against the configured keys (s3rver only
//    checks that the access key id exists), so a wrong secret is refused as AWS refuses it;
//  - with FACETAG_S3_TEST_SESSION_TOKEN set, it wants that token (temporary credentials) in a
//    signed x-amz-security-token header, as AWS does;
//  - it can die in the middle of a listing (FACETAG_S3_DIE_AFTER_LISTS=N: the process exits on the
//    N-th ListObjectsV2 request without answering), to test a server lost mid-run.
// Usage: node --openssl-legacy-provider s3_test_server.mjs DIR [BUCKET...]
//   (keys from FACETAG_S3_TEST_KEY/_SECRET; s3rver encrypts listing continuation tokens with DES,
//   which OpenSSL 3 has only in its legacy provider)
// Prints "listening PORT" once it accepts requests.
import { createHash, createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver');
const AWSAccount = require('s3rver/lib/models/account');

const [dir, ...buckets] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node s3_test_server.mjs DIR [BUCKET...]');
  process.exit(2);
}
const accessKey = process.env.FACETAG_S3_TEST_KEY || 'facetag-test-key';
const secretKey = process.env.FACETAG_S3_TEST_SECRET || 'facetag-test-secret';
const dieAfterLists = Number(process.env.FACETAG_S3_DIE_AFTER_LISTS || 0);
const sessionToken = process.env.FACETAG_S3_TEST_SESSION_TOKEN || '';
AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKey, secretKey);

const hmac = (key, text) => createHmac('sha256', key).update(text).digest();
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
// RFC 3986 unreserved characters stay, everything else is %XX (AWS's UriEncode).
const uriEncode = (s) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

// The signature the request should carry (AWS SigV4, "Signature Calculations for the
// Authorization Header"), or null when it carries none.
function expectedSignature(req) {
  const auth = req.headers.authorization || '';
  const m = auth.match(/^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, *SignedHeaders=([^,]+), *Signature=([0-9a-f]+)$/);
  if (!m) return null;
  const [, key, date, region, service, signedHeaders, signature] = m;
  const url = new URL(req.url, 'http://placeholder');
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)])
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = signedHeaders
    .split(';')
    .map((h) => `${h}:${String(req.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const payloadHash = req.headers['x-amz-content-sha256'] || sha256('');
  const canonical = [req.method, url.pathname, query, headers, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', req.headers['x-amz-date'], scope, sha256(canonical)].join('\n');
  const secret = key === accessKey ? secretKey : 'not a key of ours';
  const signingKey = hmac(hmac(hmac(hmac('AWS4' + secret, date), region), service), 'aws4_request');
  return { given: signature, expected: hmac(signingKey, toSign).toString('hex'), signedHeaders: signedHeaders.split(';') };
}

const s3 = new S3rver({ directory: dir, silent: true, configureBuckets: buckets.map((name) => ({ name })) });
await s3.configureBuckets();
const handle = s3.callback();
let lists = 0;
const server = createServer((req, res) => {
  if (req.method === 'GET' && /[?&]list-type=2/.test(req.url) && dieAfterLists > 0 && ++lists >= dieAfterLists) {
    process.exit(3);  // mid-listing, without an answer
  }
  const sig = expectedSignature(req);
  if (sig && sig.given !== sig.expected) {
    res.writeHead(403, { 'content-type': 'application/xml' });
    res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code>' +
      '<Message>The request signature we calculated does not match the signature you provided.</Message></Error>');
    return;
  }
  if (sessionToken && (req.headers['x-amz-security-token'] !== sessionToken || !sig?.signedHeaders.includes('x-amz-security-token'))) {
    res.writeHead(403, { 'content-type': 'application/xml' });
    res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidToken</Code>' +
      '<Message>The provided token is malformed or otherwise invalid.</Message></Error>');
    return;
  }
  handle(req, res);
});
server.listen(Number(process.env.FACETAG_S3_TEST_PORT || 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
