// What happens on the way to a host, told step by step for relaysync's
// structured log (--log-json): connecting, the host key, each
// authentication method tried and the one accepted. Each step names the
// host as the user wrote it.
export type StepLog = (host: string, step: string, details?: Readonly<Record<string, unknown>>) => void;

/** Where steps go when nobody records them. */
export const NO_STEPS: StepLog = () => {};
