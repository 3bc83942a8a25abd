// The filter bar of the console's lists: fields edited freely, applied together with the "show" button.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";

export function useFilters<T extends Record<string, string>>(initial: T) {
  const [filters, setFilters] = useState(initial);
  const [applied, setApplied] = useState(initial);
  const set = (key: keyof T) => (e: Event) => setFilters({ ...filters, [key]: (e.target as HTMLInputElement).value });
  return { filters, applied, set, apply: () => setApplied(filters) };
}

export function FilterForm(props: { label: string; button: string; apply: () => void; children: ComponentChildren }) {
  return (
    <form
      class="filters"
      aria-label={props.label}
      onSubmit={(e) => {
        e.preventDefault();
        props.apply();
      }}
    >
      {props.children}
      <div>
        <button type="submit">{props.button}</button>
      </div>
    </form>
  );
}
