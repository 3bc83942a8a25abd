// The app's own camera: a live view (getUserMedia) and a shutter. The picture is taken from the video frame, so
// it is what the lens saw now, never a file from the gallery; the position and the phone's time at that moment
// go with it (the capture protocol, docs/VISITS.md).
import { useEffect, useRef, useState } from "preact/hooks";
import { position, type Fix } from "./geo";
import { t, type Lang } from "./i18n";

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
