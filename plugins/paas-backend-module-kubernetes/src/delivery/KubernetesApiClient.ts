import https from 'node:https';
import {
  ConflictError,
  ForwardedError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import { KubernetesManifest } from '../manifests';

/**
 * How Paasport reaches the API server of one cluster, with the field names of Backstage's
 * Kubernetes plugin (`clusters[]` of a `config` cluster locator).
 * @public
 */
export interface KubernetesClusterConnection {
  /** The cluster's name, as Paasport's targets name it. */
  name: string;
  /** Base URL of the API server, `https://...`. */
  url: string;
  /** Bearer token of the service account Paasport acts as. */
  serviceAccountToken: string;
  /** Base64-encoded PEM of the CAs the API server's certificate is checked against. */
  caData?: string;
  /** Skips checking the API server's certificate; for development clusters only. */
  skipTLSVerify?: boolean;
}

/** One entry of `metadata.managedFields`. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsV1?: Record<string, unknown>;
}

/** An object as the API server returns it. */
export interface KubernetesObject extends KubernetesManifest {
  metadata: KubernetesManifest['metadata'] & {
    uid?: string;
    resourceVersion?: string;
    deletionTimestamp?: string;
    managedFields?: ManagedFieldsEntry[];
  };
}

/** What the API server answered when it refused a request: its `Status`. @public */
export class KubernetesApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly reason: string,
    message: string,
  ) {
    super(`${reason} (${statusCode}): ${message}`);
    this.name = 'KubernetesApiError';
  }
}

interface Response {
  status: number;
  text: string;
}

const APPLY_PATCH = 'application/apply-patch+yaml';

/** The `@backstage/errors` type for an API server's refusal, the Status as its cause. */
function errorFor(
  statusCode: number,
  message: string,
  cause: KubernetesApiError,
): Error {
  switch (statusCode) {
    case 400:
    case 422:
      return new InputError(message, cause);
    case 403:
      return new NotAllowedError(message, cause);
    case 404:
      return new NotFoundError(message, cause);
    case 409:
      return new ConflictError(message, cause);
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return new ServiceUnavailableError(message, cause);
    default:
      // Such as 401: Paasport's own credentials, nothing the caller's request can change.
      return new ForwardedError(message, cause);
  }
}
const MAX_MESSAGE = 500;

/**
 * A small client for the parts of the Kubernetes API Paasport uses: read, list by label,
 * server-side apply and delete. Credentials and TLS come from a `KubeConfig` built for the
 * one cluster; requests are plain HTTPS, so tests can answer them at the HTTP level.
 * Error messages never contain the token, even when a server or proxy echoes it back.
 */
export class KubernetesApiClient {
  private requestOptions?: Promise<https.RequestOptions>;
  private readonly baseUrl: string;

  constructor(
    private readonly cluster: KubernetesClusterConnection,
    private readonly timeoutMs = 30_000,
  ) {
    this.baseUrl = cluster.url.replace(/\/+$/, '');
  }

  /** Reads one object; undefined when it does not exist. */
  async get(path: string, what: string): Promise<KubernetesObject | undefined> {
    const response = await this.send('GET', path, 'read', what);
    if (response.status === 404) {
      return undefined;
    }
    return this.parse(response, 'read', what) as KubernetesObject;
  }

  /**
   * Lists the objects at a collection path that match a label selector. The items come as
   * the API server lists them: without `apiVersion` and `kind`.
   */
  async list(
    path: string,
    labelSelector: string,
    what: string,
  ): Promise<KubernetesObject[]> {
    const query = new URLSearchParams({ labelSelector });
    const response = await this.send('GET', `${path}?${query}`, 'list', what);
    const list = this.parse(response, 'list', what) as {
      items?: KubernetesObject[];
    };
    return list.items ?? [];
  }

  /** Server-side apply of one object; returns the object as the server now holds it. */
  async apply(
    path: string,
    manifest: KubernetesManifest,
    options: { fieldManager: string; force: boolean },
    what: string,
  ): Promise<KubernetesObject> {
    const query = new URLSearchParams({
      fieldManager: options.fieldManager,
      force: String(options.force),
    });
    const response = await this.send(
      'PATCH',
      `${path}?${query}`,
      'apply',
      what,
      {
        contentType: APPLY_PATCH,
        // JSON is YAML: the API server reads an apply patch written as JSON as it is.
        body: JSON.stringify(manifest),
      },
    );
    return this.parse(response, 'apply', what) as KubernetesObject;
  }

  /**
   * Deletes one object, its dependents (a Deployment's pods) in the background. False when
   * it was already gone.
   */
  async delete(path: string, what: string): Promise<boolean> {
    const query = new URLSearchParams({ propagationPolicy: 'Background' });
    const response = await this.send(
      'DELETE',
      `${path}?${query}`,
      'delete',
      what,
    );
    if (response.status === 404) {
      return false;
    }
    this.parse(response, 'delete', what);
    return true;
  }

  private options(): Promise<https.RequestOptions> {
    this.requestOptions ??= (async () => {
      const config = new KubeConfig();
      config.loadFromOptions({
        clusters: [
          {
            name: this.cluster.name,
            server: this.baseUrl,
            caData: this.cluster.caData,
            skipTLSVerify: this.cluster.skipTLSVerify ?? false,
          },
        ],
        users: [{ name: 'paasport', token: this.cluster.serviceAccountToken }],
        contexts: [
          {
            name: this.cluster.name,
            cluster: this.cluster.name,
            user: 'paasport',
          },
        ],
        currentContext: this.cluster.name,
      });
      const options: https.RequestOptions = {};
      // Sets the Authorization header and an agent with the cluster's CA, once per client.
      await config.applyToHTTPSOptions(options);
      return options;
    })();
    return this.requestOptions;
  }

  private async send(
    method: string,
    pathAndQuery: string,
    verb: string,
    what: string,
    payload?: { contentType: string; body: string },
  ): Promise<Response> {
    const options = await this.options();
    const url = `${this.baseUrl}${pathAndQuery}`;
    try {
      return await new Promise<Response>((resolve, reject) => {
        const request = https.request(
          url,
          {
            ...options,
            method,
            headers: {
              ...options.headers,
              Accept: 'application/json',
              ...(payload && {
                'Content-Type': payload.contentType,
                'Content-Length': Buffer.byteLength(payload.body),
              }),
            },
          },
          response => {
            const chunks: Buffer[] = [];
            response.on('data', chunk => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                text: Buffer.concat(chunks).toString('utf8'),
              }),
            );
          },
        );
        request.setTimeout(this.timeoutMs, () =>
          request.destroy(new Error(`no answer within ${this.timeoutMs} ms`)),
        );
        request.on('error', reject);
        request.end(payload?.body);
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ServiceUnavailableError(
        `Cannot reach the Kubernetes API of cluster ${
          this.cluster.name
        } to ${verb} ${what}: ${this.redact(reason)}`,
      );
    }
  }

  private parse(response: Response, verb: string, what: string): unknown {
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      body = undefined;
    }
    if (response.status >= 200 && response.status < 300 && body) {
      return body;
    }
    const status = (body ?? {}) as { reason?: unknown; message?: unknown };
    const apiError = new KubernetesApiError(
      response.status,
      typeof status.reason === 'string' ? status.reason : 'Unknown',
      this.redact(
        typeof status.message === 'string'
          ? status.message
          : response.text.slice(0, MAX_MESSAGE) || 'no message',
      ),
    );
    throw errorFor(
      response.status,
      `Kubernetes cluster ${this.cluster.name} refused to ${verb} ${what}`,
      apiError,
    );
  }

  private redact(text: string): string {
    const token = this.cluster.serviceAccountToken;
    return token ? text.split(token).join('<redacted>') : text;
  }
}
