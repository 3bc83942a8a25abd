// Files behind the service's download routes (bank files, results): fetched with the session's token, since
// those routes want the Authorization header, then saved under the given name.
import { token } from "../../common/api";

export async function download(path: string, name: string): Promise<void> {
  const response = await fetch(path, { headers: { authorization: `Bearer ${token() ?? ""}` } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { errors?: { message: string }[] } | null;
    throw new Error(body?.errors?.map((e) => e.message).join("; ") ?? `HTTP ${response.status}`);
  }
  saveBlob(await response.blob(), name);
}

/** Saves data the page already holds (a statement the API returned) under the given name. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
