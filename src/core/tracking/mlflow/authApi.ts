// Who the credentials sign in as, and what they were granted, from MLflow's basic-auth app:
// GET /api/2.0/mlflow/users/current and GET /api/3.0/mlflow/users/current/permissions (any
// signed-in user may read their own). A server without the auth app has neither route (404).
import * as z from 'zod/mini';
import { isTrackingError, type ServerAuth } from '../types';
import type { MlflowHttp } from './httpClient';

const currentUser = z.object({ user: z.object({ username: z.string(), is_admin: z.optional(z.boolean()) }) });
const currentPermissions = z.object({
  is_admin: z.optional(z.boolean()),
  permissions: z.optional(z.array(z.object({ resource_type: z.string(), resource_pattern: z.string(), permission: z.string() }))),
});

export async function readServerAuth(http: MlflowHttp): Promise<ServerAuth | undefined> {
  let user: z.infer<typeof currentUser>;
  try {
    user = currentUser.parse(await http.request('GET', 'api/2.0/mlflow/users/current'));
  } catch (e) {
    if (isTrackingError(e, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
    throw e;
  }
  const perms = currentPermissions.parse(await http.request('GET', 'api/3.0/mlflow/users/current/permissions'));
  return {
    username: user.user.username,
    isAdmin: perms.is_admin ?? user.user.is_admin ?? false,
    grants: (perms.permissions ?? []).map((p) => ({ resourceType: p.resource_type, pattern: p.resource_pattern, permission: p.permission })),
  };
}
