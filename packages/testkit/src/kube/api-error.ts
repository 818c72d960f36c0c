/**
 * Errors the emulator answers with, shaped as the API server's `Status` objects so clients that
 * switch on `code` / `reason` / `details.causes` behave as they would against a real cluster.
 */
export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'Gone'
  | 'Forbidden'
  | 'RequestEntityTooLarge'
  | 'Expired'
  | 'InternalError';

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
}

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }

  toStatus(): KubeStatus {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** How the API server names a resource in messages: `pods "x"`, `httproutes.gateway.networking.k8s.io "x"`. */
export interface ResourceName {
  group: string;
  plural: string;
  kind: string;
}
const qualified = (r: ResourceName) => (r.group ? `${r.plural}.${r.group}` : r.plural);

export const notFound = (r: ResourceName, name: string) =>
  new KubeApiError(404, 'NotFound', `${qualified(r)} "${name}" not found`, { name, group: r.group, kind: r.plural });

export const alreadyExists = (r: ResourceName, name: string) =>
  new KubeApiError(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, {
    name,
    group: r.group,
    kind: r.plural,
  });

export const conflict = (
  r: ResourceName,
  name: string,
  why = 'the object has been modified; please apply your changes to the latest version and try again',
) =>
  new KubeApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`, {
    name,
    group: r.group,
    kind: r.plural,
  });

export const invalid = (r: ResourceName, name: string, causes: StatusCause[]) => {
  const listed = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const summary = listed.length === 1 ? listed[0] : `[${listed.join(', ')}]`;
  return new KubeApiError(422, 'Invalid', `${r.kind} "${name}" is invalid: ${summary}`, {
    name,
    group: r.group,
    kind: r.kind,
    causes,
  });
};

export const badRequest = (message: string) => new KubeApiError(400, 'BadRequest', message);

export const forbidden = (r: ResourceName, name: string, why: string) =>
  new KubeApiError(403, 'Forbidden', `${qualified(r)} "${name}" is forbidden: ${why}`, {
    name,
    group: r.group,
    kind: r.plural,
  });

export const gone = (message: string) => new KubeApiError(410, 'Expired', message);

export const methodNotAllowed = (message: string) => new KubeApiError(405, 'MethodNotAllowed', message);

export const unsupportedMediaType = (message: string) => new KubeApiError(415, 'UnsupportedMediaType', message);
