/**
 * Turns a connection's credentials into what goes on the wire for one call: headers, query
 * parameters, cookies. It also returns the names it added (dropped by the outbound client if
 * a redirect leaves the integration's origin) and the secret values (redacted from anything
 * the program or the history sees). Pure.
 */
import { ExecutorError } from "../errors";

export interface AppliedAuth {
  headers: Record<string, string>;
  query: Record<string, string>;
  cookies: Record<string, string>;
  secrets: string[];
}

/**
 * What a source knows about how its upstream wants credentials, for connections that do not
 * say themselves (an OpenAPI spec's security schemes, reduced). Sources fill it in; this
 * folder never reads a source's own types.
 */
export interface AuthHints {
  /** Where an API key goes when the connection names no header or parameter. */
  apiKey?: { name: string; in: "header" | "query" | "cookie" };
  /** The token endpoint of client-credentials connections that name none (may be relative to the base URL). */
  tokenUrl?: string;
}

export interface AuthMaterial {
  authType: string;
  settings: Record<string, unknown>;
  credentials: Record<string, unknown>;
  /** For oauth2: a current access token, fetched by the caller. */
  accessToken?: string;
}

/** No credentials at all: a public call. */
export const NO_AUTH: AppliedAuth = Object.freeze({ headers: {}, query: {}, cookies: {}, secrets: [] }) as AppliedAuth;

/** Applies credentials. An apiKey's name and location come from the connection, else from `hints`. */
export function applyAuth(material: AuthMaterial, hints: AuthHints = {}): AppliedAuth {
  const applied: AppliedAuth = { headers: {}, query: {}, cookies: {}, secrets: [] };
  const { settings, credentials } = material;
  switch (material.authType) {
    case "none":
      break;
    case "bearer": {
      const token = String(credentials.token ?? "");
      applied.headers.authorization = `Bearer ${token}`;
      applied.secrets.push(token);
      break;
    }
    case "basic": {
      const username = String(settings.username ?? "");
      const password = String(credentials.password ?? "");
      const encoded = btoa(unescape(encodeURIComponent(`${username}:${password}`)));
      applied.headers.authorization = `Basic ${encoded}`;
      applied.secrets.push(password, encoded);
      break;
    }
    case "apiKey": {
      const key = String(credentials.key ?? "");
      const name = (settings.name as string | undefined) ?? hints.apiKey?.name;
      const location = (settings.in as "header" | "query" | "cookie" | undefined) ?? hints.apiKey?.in ?? "header";
      if (!name) {
        throw new ExecutorError("no_connection", "This apiKey connection names no header or parameter, and the source declares no apiKey scheme: recreate it with auth.name");
      }
      if (location === "query") applied.query[name] = key;
      else if (location === "cookie") applied.cookies[name] = key;
      else applied.headers[name.toLowerCase()] = key;
      applied.secrets.push(key);
      break;
    }
    case "headers": {
      for (const [name, value] of Object.entries((credentials.headers ?? {}) as Record<string, string>)) {
        applied.headers[name.toLowerCase()] = value;
        applied.secrets.push(value);
      }
      break;
    }
    case "oauth2": {
      if (!material.accessToken) throw new ExecutorError("no_connection", "The OAuth connection has no access token");
      applied.headers.authorization = `Bearer ${material.accessToken}`;
      applied.secrets.push(material.accessToken, String(credentials.clientSecret ?? ""));
      break;
    }
    default:
      throw new ExecutorError("no_connection", `Unknown connection type ${material.authType}`);
  }
  applied.secrets = applied.secrets.filter((secret) => secret.length >= 4);
  return applied;
}
