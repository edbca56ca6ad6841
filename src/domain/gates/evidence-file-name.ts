/**
 * Names of evidence files and folders: what SharePoint and OneDrive accept, applied to free text from
 * users and HaloPSA (pure, shared by the upload use case and the evidence stores).
 */

// SharePoint/OneDrive refuse these characters in names; control characters are never useful, and
// bidirectional overrides make "invoice<RLO>fdp.exe" read as "invoiceexe.pdf".
export const ILLEGAL_CHARACTERS =
  /["*:<>?/\\|\u0000-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const ILLEGAL_CHARACTERS_GLOBAL =
  /["*:<>?/\\|\u0000-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;
export const UNPAIRED_SURROGATES =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const RESERVED_NAMES = /^(con|prn|aux|nul|com\d|lpt\d|desktop\.ini|\.lock|_vti_)$/i;
const MAX_SEGMENT_LENGTH = 80;
export const MAX_FILE_NAME_LENGTH = 200;

/** Makes free text safe as part of a folder name: illegal characters become "-", no leading/trailing dots or spaces. */
export function toSafeNamePart(text: string, maxLength = MAX_SEGMENT_LENGTH): string {
  let cleaned = text
    .normalize('NFC')
    .replace(UNPAIRED_SURROGATES, '')
    .replace(ILLEGAL_CHARACTERS_GLOBAL, '-')
    .replace(/\s+/g, ' ');
  // Trimming can expose another leading dot or "~$" (" ~$.x"): repeat until nothing changes.
  for (let previous = ''; previous !== cleaned;) {
    previous = cleaned;
    cleaned = cleaned
      .replace(/^[\s.]+|[\s.]+$/g, '')
      .replace(/^~\$/, '')
      .slice(0, maxLength)
      .replace(/[\uD800-\uDBFF]$/, ''); // never cut a character in half
  }
  return RESERVED_NAMES.test(cleaned) ? `_${cleaned}` : cleaned;
}

/** Makes an uploaded file's name acceptable to `put` (callers that take names from users use this). */
export function toSafeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const safe = toSafeNamePart(base, MAX_FILE_NAME_LENGTH);
  return safe === '' ? 'evidence' : safe;
}

/**
 * The name an evidence file is stored under: its id, which never repeats, plus the extension of the
 * name it was uploaded with (so SharePoint still opens it with the right app). The uploaded name is
 * kept beside it as the display name; it never decides where the bytes go.
 */
export function storedEvidenceName(fileId: string, uploadedName: string): string {
  const id = toSafeNamePart(fileId, 100).replace(/[^A-Za-z0-9-]/g, '');
  if (id === '')
    throw new Error(`evidence file id ${JSON.stringify(fileId)} has no safe characters`);
  const extension = /\.([A-Za-z0-9]{1,10})$/.exec(toSafeFileName(uploadedName))?.[1];
  return extension === undefined ? id : `${id}.${extension.toLowerCase()}`;
}
