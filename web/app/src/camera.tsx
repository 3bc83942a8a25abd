// The app's own camera: a live view (getUserMedia) and a shutter. The picture is taken from the video frame, so
// it is what the lens saw now, never a file from the gallery; the position and the phone's time at that moment
// go with it (the capture protocol, docs/VISITS.md).
import { useEffect, useRef, useState } from "preact/hooks";
import { position, type Fix } from "./geo";
import { t, type Lang } from "./i18n";
import type { Message } from "../../common/messages";
import { serviceReads } from "./phototypes";

/** A photo for the visit, with a small copy for the screen. */
export interface Picture {
  blob: Blob;
  thumbnail: string;
}

/** A photo the app's camera took, with the phone's position and time at that moment. */
export interface Shot extends Picture {
  fix: Fix;
}

/** A small JPEG data URL for the screen (the photo itself goes to the server whole). */
export async function thumbnailOf(source: CanvasImageSource, width: number, height: number): Promise<string> {
  const scale = 240 / Math.max(width, height);
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  canvas.getContext("2d")!.drawImage(source, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL("image/jpeg", 0.7);
}

/** The largest photo the service takes by default (its `photos.max_bytes`); a server set lower refuses it itself. */
export const MAX_PHOTO_BYTES = 20 * 1024 * 1024;

/** The screen's copy of a HEIC this browser cannot draw (the service makes the real one). */
const HEIC_PLACEHOLDER =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="180" viewBox="0 0 240 180">' +
      '<rect width="240" height="180" fill="#e8eaed"/><text x="120" y="98" font-family="sans-serif" font-size="28" ' +
      'text-anchor="middle" fill="#3c4043">HEIC</text></svg>',
  );

/** What a file is, by its first bytes (a file's name and type can say anything). */
export function sniff(head: Uint8Array): "jpeg" | "png" | "webp" | "heif" | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...head.slice(from, to));
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "jpeg";
  if (head[0] === 0x89 && ascii(1, 4) === "PNG") return "png";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  if (ascii(4, 8) === "ftyp" && ["heic", "heix", "hevc", "hevx", "mif1", "msf1", "avif"].includes(ascii(8, 12))) return "heif";
  return null;
}

/**
 * A file picked from the gallery, checked before it is queued: its type (by its bytes), its size and whether
 * this browser can decode it. A HEIC/HEIF photo (the default of iPhones and many Android phones) is converted
 * goes as it is to a service that reads it (so its EXIF, the place and time it was taken, goes with it); to one
 * that does not, it is converted to JPEG where the browser can decode it, and refused with the camera setting to
 * change where it cannot. A refusal is the catalogue's message, shown beside the question before anything is sent.
 */
export async function checkPicked(file: File): Promise<Picture | { refused: Message }> {
  if (file.size === 0) return { refused: { code: "file-empty" } };
  if (file.size > MAX_PHOTO_BYTES) {
    const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
    return { refused: { code: "photo-too-big", params: { size_mb: mb(file.size), max_mb: mb(MAX_PHOTO_BYTES) } } };
  }
  const kind = sniff(new Uint8Array(await file.slice(0, 16).arrayBuffer()));
  if (!kind) return { refused: { code: "photo-not-image" } };
  const bitmap = await createImageBitmap(file).catch(() => null);
  if (kind === "heif" && serviceReads("image/heic")) {
    const thumbnail = bitmap ? await thumbnailOf(bitmap, bitmap.width, bitmap.height) : HEIC_PLACEHOLDER;
    return { blob: file, thumbnail };
  }
  if (!bitmap) return { refused: { code: kind === "heif" ? "photo-heic-phone" : "photo-not-decodable" } };
  const thumbnail = await thumbnailOf(bitmap, bitmap.width, bitmap.height);
  if (kind !== "heif") return { blob: file, thumbnail };
  // The service reads JPEG, PNG and WebP: a HEIC the browser decodes goes as a JPEG of the same picture.
  const canvas = document.createElement("canvas");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  canvas.getContext("2d")!.drawImage(bitmap, 0, 0);
  const jpeg = await new Promise<Blob | null>((done) => canvas.toBlob(done, "image/jpeg", 0.92));
  return jpeg ? { blob: jpeg, thumbnail } : { refused: { code: "photo-heic-phone" } };
}

export function Camera({ lang, onShot, onClose }: { lang: Lang; onShot: (shot: Shot) => Promise<void>; onClose: () => void }) {
  const s = t(lang);
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let stream: MediaStream | null = null;
    navigator.mediaDevices
      ?.getUserMedia({ video: { facingMode: "environment", width: { ideal: 1920 }, height: { ideal: 1080 } }, audio: false })
      .then((s) => {
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          void video.current.play();
        }
      })
      .catch(() => setError(s.cameraDenied));
    if (!navigator.mediaDevices) setError(s.cameraDenied);
    return () => stream?.getTracks().forEach((track) => track.stop());
  }, []);
  async function shoot() {
    const v = video.current;
    if (!v || !v.videoWidth) return;
    setBusy(true);
    setError(null);
    try {
      const canvas = document.createElement("canvas");
      canvas.width = v.videoWidth;
      canvas.height = v.videoHeight;
      canvas.getContext("2d")!.drawImage(v, 0, 0);
      const at = new Date().toISOString();
      const blob = await new Promise<Blob>((resolve, reject) =>
        canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("no image"))), "image/jpeg", 0.9),
      );
      const fix = await position().catch(() => null);
      if (!fix) {
        setError(s.positionNeeded);
        return;
      }
      const thumbnail = await thumbnailOf(canvas, canvas.width, canvas.height);
      await onShot({ blob, thumbnail, fix: { ...fix, at } });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="camera" role="dialog" aria-modal="true" aria-label={s.camera}>
      <video ref={video} playsInline muted onLoadedData={() => setReady(true)} aria-label={s.cameraView} />
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <div class="row">
        <button type="button" disabled={!ready || busy} onClick={() => void shoot()}>
          {s.shutter}
        </button>
        <button type="button" class="secondary" onClick={onClose}>
          {s.close}
        </button>
      </div>
    </div>
  );
}
