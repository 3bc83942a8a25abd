// The photo types the service reads, as it said last (`photoTypes`, asked with every visit): a HEIC goes as it is
// to a service built with libheif. Kept on the phone, so a file picked offline is judged the same way.
const PHOTO_TYPES = "fieldwork.photoTypes";

/** Keeps the photo types the service said it reads (with a visit), for picking files offline too. */
export function rememberPhotoTypes(types: readonly string[]): void {
  localStorage.setItem(PHOTO_TYPES, JSON.stringify(types));
}

/** Does the service read this photo type (as last heard; JPEG, PNG and WebP always)? */
export function serviceReads(type: string): boolean {
  try {
    const types = JSON.parse(localStorage.getItem(PHOTO_TYPES) ?? "[]") as unknown;
    return Array.isArray(types) && types.includes(type);
  } catch {
    return false;
  }
}
