/** `--help` texts. Kept next to each other so the option names stay consistent. */
import { credentialVariables } from '../shared/credentials';

export const MAIN_HELP = `cos-presign: presigned URLs for Tencent COS, Volcengine TOS and S3-compatible storage

Usage:
  cos-presign url <bucket> <key> [options]         print a presigned URL
  cos-presign auth <bucket> <key> [options]        print a COS Authorization header value
  cos-presign policy <bucket> <key>... [options]   print the least-privilege policy for these keys
  cos-presign inspect <url> [options]              explain a presigned URL; with the secret, check it
  cos-presign upload <bucket> <path>... [options]  upload files through presigned requests, print links
  cos-presign put <requests.json> | <url> <file>   upload through URLs presigned elsewhere (no credentials)
  cos-presign demo                                 upload and download on a local S3 server, no account needed

Run "cos-presign <command> --help" for the options of a command.
Exit codes: 0 success, 2 usage error (the message names the option), 1 anything else.
`;

const SIGNING_OPTIONS = `Where:
  -p, --provider <cos|tos|s3>   signature to use (default cos)
  -r, --region <region>         COS region (ap-guangzhou), TOS region (cn-beijing), S3 signing region
      --domain <host>           COS: custom / CDN domain instead of the bucket host
      --accelerate              COS: global acceleration endpoint
      --endpoint <[scheme://]host[:port]>
                                TOS, S3: endpoint (MinIO, COS or TOS S3 endpoints, s3rver…)
      --custom-domain           TOS: --endpoint is a domain bound to the bucket
      --path-style              S3: bucket in the path (host/bucket/key)
      --scheme <https|http>     default https

What:
  -X, --method <method>         GET (default), PUT, POST, DELETE, HEAD
  -e, --expires <duration>      lifetime: seconds (600) or 45s, 30m, 12h, 7d (default 1h; s3 allows
                                at most 7d, tos 30d)
      --start <time>            start of validity: unix seconds or ISO 8601 (default now)
  -H, --header 'Name: value'    a header the request will send, pinned by the signature (repeatable)
      --param name=value        a query parameter carried and signed in the URL (repeatable)
      --no-sign-host            COS: leave the host unsigned (only behind a proxy that rewrites Host)
      --allow-root-key          sign a key that simplifies to "/" (a bucket-level request) on purpose

Credentials (never printed):
  From the environment: cos ${credentialVariables('cos')};
  tos ${credentialVariables('tos')}; s3 ${credentialVariables('s3')}.
      --secret-id <id>, --secret-key <key>, --security-token <token>
                                instead of the environment (they end up in shell history: avoid)
      --credential-expires-at <time>
                                when temporary credentials expire; the URL will not outlive them
`;

export const URL_HELP = `Usage: cos-presign url <bucket> <key> [options]

Prints a presigned URL for one object. COS buckets are BucketName-APPID.

Output:
      --json                    {url, method, headers, expiresAt, warnings} instead of the bare URL
      --curl                    a ready curl command with the headers the request must send
      --upload-file <path>      with --curl: the file to PUT/POST (default placeholder <file>)

${SIGNING_OPTIONS}
Examples:
  cos-presign url examplebucket-1250000000 releases/app.tar.gz -r ap-guangzhou -e 1h
  cos-presign url examplebucket-1250000000 uploads/a.pdf -r ap-guangzhou -X PUT -H 'Content-Type: application/pdf' --curl
  cos-presign url my-bucket a.txt -p s3 -r us-east-1 --json
`;

export const AUTH_HELP = `Usage: cos-presign auth <bucket> <key> [options]

Prints the COS Authorization header value for a request (what the COS SDKs' get_auth returns).
Send it as "Authorization: <value>" together with the headers given with --header; with temporary
credentials also send the token as the x-cos-security-token header.

${SIGNING_OPTIONS}`;

export const INSPECT_HELP = `Usage: cos-presign inspect <url> [options]

Reads a COS, TOS or S3 presigned URL offline: provider, bucket, key, the validity window and the
time left (or how long ago it expired), the headers the request must send, the signed parameters
and the access key id. The signature and any token are never printed.

With the secret key it also recomputes the signature for the method and headers the request uses
and, when they do not match, says the likely reason: wrong method, a signed header not sent, the
host changed, a parameter added or removed, expired or not yet valid, another access key. A wrong
secret, a changed signed header value and an edited path or signed value look the same offline;
they are reported together.

Options:
      --secret-key <key>        check the signature (default: the provider's environment
                                variables, see "cos-presign url --help"; the command line ends up
                                in shell history)
      --secret-id <id>          the access key id of that secret, to spot a URL of another key
  -X, --method <method>         method the request is made with (default GET)
  -H, --header 'Name: value'    a header the request sends (repeatable); 'Host: …' if a proxy
                                or CDN sends another host than the URL's
      --bucket <name>           S3: the bucket, when the host is not a known S3 endpoint
      --now <time>              judge the window at this time (unix seconds or ISO 8601)
      --json                    the result as JSON

Verdicts: OK; HEADERS NEEDED (nothing wrong found, but the URL signs headers every request with
it must send: they are listed, with their values when known; give them with --header to check);
FAILED (the server would refuse it, with the reasons). Without a secret, DAMAGED says the URL
was damaged when it was copied (a trailing quote or bracket, &amp;, a line break, a *** from a
masked Actions log) and how to get it intact.

Exit code: 1 only when the URL cannot work (FAILED); 0 otherwise, including HEADERS NEEDED and,
without a secret, DAMAGED (the signature was not checked); 2 when the URL is not a presigned URL
or an option is wrong.
`;

export const DEMO_HELP = `Usage: cos-presign demo

The first success, with no account: starts a signature-checking S3 server (@20minutes/s3rver) on
127.0.0.1 in a temporary directory, uploads a file through a presigned PUT URL with a pinned
Content-Type, downloads it through a presigned GET URL and compares the bytes, shows that a
tampered and an expired URL get 403 (and what "inspect" says about them), then stops the server
and removes the directory. The demo credentials are s3rver's public dummy ones (S3RVER/S3RVER),
so its URLs are printed in full.

Needs the dev dependency @20minutes/s3rver: run it from a clone with "npm ci && npm run demo".
`;
