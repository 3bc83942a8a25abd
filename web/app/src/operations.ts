// The operation documents are the ones the Rust client uses (mobile-api/operations): one source of truth.
import login from "../../../mobile-api/operations/login.graphql?raw";
import availableTasks from "../../../mobile-api/operations/available_tasks.graphql?raw";
import claimTask from "../../../mobile-api/operations/claim_task.graphql?raw";
import signUp from "../../../mobile-api/operations/sign_up.graphql?raw";

export const documents = { login, availableTasks, claimTask, signUp } as const;
export type OperationName = keyof typeof documents;
