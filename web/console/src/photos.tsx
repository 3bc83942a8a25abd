// A photo thumbnail that opens its display copy in a dialog with zoom (buttons, and + / − keys): reviewers read
// queue displays and receipts at full size without leaving the visit. The dialog is the browser's own
// (<dialog>), so focus stays in it and Esc closes it. The display copy is loaded only when opened.
import { useRef, useState } from "preact/hooks";

export interface ZoomLabels {
  zoom: (what: string) => string;
  zoomIn: string;
  zoomOut: string;
  zoomFit: string;
  close: string;
}

const STEPS = [1, 1.5, 2, 3, 4];

export function ZoomablePhoto({
  thumbnailUrl,
  displayUrl,
  alt,
  labels,
}: {
  thumbnailUrl: string;
  displayUrl: string;
  alt: string;
  labels: ZoomLabels;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [step, setStep] = useState(0);
  // The display copy is fetched only when the dialog opens: a gallery of ten photos loads ten thumbnails.
  const [open, setOpen] = useState(false);
  const zoom = (by: number) => setStep((s) => Math.min(STEPS.length - 1, Math.max(0, s + by)));
  function key(e: KeyboardEvent) {
    if (e.key === "+" || e.key === "=") zoom(1);
    else if (e.key === "-") zoom(-1);
    else return;
    e.preventDefault();
  }
  return (
    <>
      <button
        type="button"
        class="photo-button"
        aria-label={labels.zoom(alt)}
        onClick={() => {
          setOpen(true);
          dialog.current?.showModal();
        }}
      >
        <img src={thumbnailUrl} alt={alt} loading="lazy" />
      </button>
      <dialog
        ref={dialog}
        class="photo-zoom"
        aria-label={alt}
        onKeyDown={key}
        onClose={() => {
          setStep(0);
          setOpen(false);
        }}
      >
        <div class="row">
          <button type="button" class="secondary" onClick={() => zoom(-1)} disabled={step === 0}>
            {labels.zoomOut}
          </button>
          <output aria-live="polite">{Math.round(STEPS[step] * 100)}%</output>
          <button type="button" class="secondary" onClick={() => zoom(1)} disabled={step === STEPS.length - 1}>
            {labels.zoomIn}
          </button>
          <button type="button" class="secondary" onClick={() => setStep(0)}>
            {labels.zoomFit}
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            {labels.close}
          </button>
        </div>
        <div class="photo-frame" tabIndex={0}>
          {open && <img src={displayUrl} alt={alt} style={{ width: `${STEPS[step] * 100}%` }} />}
        </div>
      </dialog>
    </>
  );
}
