/**
 * The one size limit of an evidence upload through the tab API, and what follows from it: the file
 * travels base64-encoded in a JSON body, so the body limit the server enforces before parsing (and
 * before authentication) is the encoded file plus room for the other fields.
 */

/** Largest evidence file the tab API accepts, in bytes. */
export const MAX_EVIDENCE_UPLOAD_BYTES = 5 * 1024 * 1024;

/** Length of that file base64-encoded (4 characters per 3 bytes, padded). */
export const MAX_EVIDENCE_BASE64_CHARS = 4 * Math.ceil(MAX_EVIDENCE_UPLOAD_BYTES / 3);

/** Largest body of `POST /api/v1/gates/evidence`: the encoded file and 64 KiB for the rest. */
export const EVIDENCE_UPLOAD_BODY_BYTES = MAX_EVIDENCE_BASE64_CHARS + 64 * 1024;
