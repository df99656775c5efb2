// Users and grants on an auth-enabled test server (startMlflowServer({ auth })), through MLflow's
// own auth REST API as its admin: POST /api/2.0/mlflow/users/create and
// POST /api/3.0/mlflow/users/permissions/grant (reference/mlflow-facts.md section 6).
import type { MlflowServer } from './mlflowServer';

export interface TestUser { username: string; password: string }
export type GrantPermission = 'READ' | 'USE' | 'EDIT' | 'MANAGE' | 'DENY';

function basic(u: TestUser): string {
  return `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;
}

async function post(server: MlflowServer, path: string, body: unknown, as: TestUser): Promise<unknown> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: basic(as) }, body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path} as ${as.username}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : {};
}

function adminOf(server: MlflowServer): TestUser {
  if (!server.admin) throw new Error('this server was started without { auth }');
  return server.admin;
}

/** Creates a user (password ≥ 12 characters, MLflow's rule). */
export async function createUser(server: MlflowServer, username: string, password = `${username}-password-1`): Promise<TestUser> {
  await post(server, '/api/2.0/mlflow/users/create', { username, password }, adminOf(server));
  return { username, password };
}

/** resource_type 'experiment' takes the experiment id; 'prompt' (its own namespace) the prompt name. */
export async function grant(server: MlflowServer, user: TestUser, resourceType: 'experiment' | 'prompt' | 'registered_model', resourceId: string, permission: GrantPermission): Promise<void> {
  await post(server, '/api/3.0/mlflow/users/permissions/grant', { username: user.username, resource_type: resourceType, resource_id: resourceId, permission }, adminOf(server));
}

/** MLflow-client style environment for a user: what CI sets. */
export function envFor(server: MlflowServer, user: TestUser): NodeJS.ProcessEnv {
  return { MLFLOW_TRACKING_URI: server.url, MLFLOW_TRACKING_USERNAME: user.username, MLFLOW_TRACKING_PASSWORD: user.password };
}
