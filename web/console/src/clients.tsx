// The clients staff may choose from, and the one select that chooses a client (rooms that act for one client).
import { useEffect, useState } from "preact/hooks";
import { gql } from "../../common/api";
import { StaffClientsDocument } from "./gql/operations";
import type { StaffClientsQuery } from "./gql/operations";

export type Client = StaffClientsQuery["clients"]["edges"][number]["node"];

/** The clients, loaded once (empty until they arrive, or when they cannot be read). */
export function useClients(): Client[] {
  const [clients, setClients] = useState<Client[]>([]);
  useEffect(() => {
    gql(StaffClientsDocument, {})
      .then((d) => setClients(d.clients.edges.map((e) => e.node)))
      .catch(() => setClients([]));
  }, []);
  return clients;
}

/** A labelled select of the clients, with a first entry that chooses none. */
export function ClientSelect(props: {
  id: string;
  label: string;
  none: string;
  clients: Client[];
  value: string;
  onChange: (id: string) => void;
}) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
        <option value="">{props.none}</option>
        {props.clients.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </div>
  );
}
