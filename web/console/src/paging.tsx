// Lists that can outgrow a page: the first page, then "show more" appends the next one (the service's cursor),
// with how many are shown of how many there are. Every list of the console that can exceed a page uses it.
import { useEffect, useRef, useState } from "preact/hooks";
import { failureText } from "../../common/api";

/** A page of a Relay connection, as the console's operations ask for it. */
export interface Connection<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  edges: { node: N }[];
}

export interface Pages<N> {
  /** What is shown so far (null: the first page is on its way). */
  rows: N[] | null;
  total: number;
  error: string | null;
  /** The first page again (after a filter change or an action). */
  reload: () => Promise<void>;
  /** The next page, appended; null when there is none. */
  more: (() => Promise<void>) | null;
  /** A page is on its way. */
  loading: boolean;
}

/** Pages of a list: `fetch(after)` gets the page after a cursor (null: the first); `deps` reload it. */
export function usePages<N>(fetch: (after: string | null) => Promise<Connection<N>>, deps: unknown[]): Pages<N> {
  const [rows, setRows] = useState<N[] | null>(null);
  const [page, setPage] = useState<Connection<N> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  // Only the latest request may write: a page asked for before a filter changed is dropped when it arrives.
  const latest = useRef(0);
  async function load(after: string | null, keep: N[]) {
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const got = await fetch(after);
      if (ticket !== latest.current) return;
      setPage(got);
      setRows([...keep, ...got.edges.map((e) => e.node)]);
      setError(null);
    } catch (err) {
      if (ticket === latest.current) setError(failureText(err));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }
  useEffect(() => {
    void load(null, []);
  }, deps);
  const next = page?.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null;
  return {
    rows,
    total: page?.totalCount ?? 0,
    error,
    reload: () => load(null, []),
    more: next !== null ? () => load(next, rows ?? []) : null,
    loading,
  };
}

/** The "show more" button of a list, saying how many are shown of how many. */
export function MoreButton<N>({ pages, label }: { pages: Pages<N>; label: (shown: number, total: number) => string }) {
  if (!pages.more) return null;
  const more = pages.more;
  return (
    <button type="button" class="secondary" disabled={pages.loading} onClick={() => void more()}>
      {label(pages.rows?.length ?? 0, pages.total)}
    </button>
  );
}
