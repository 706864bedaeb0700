import type { z } from "zod";
import { api } from "../../shared/api/index.js";
import {
  fillPath,
  withQuery,
  type Endpoint,
  type EndpointArgs,
  type FileType,
  type Method,
} from "../../shared/api/endpoint.js";
import type { Open311Error } from "../../shared/api/open311.js";
import type { ErrorBody } from "../../shared/errors.js";

/**
 * The test client goes through the same endpoint declarations as the browser
 * (`client.call(api.cases.createSighting, { body })`), so a test that drifts from the contract
 * (a wrong path, a field that no longer exists, a response read that is not there) fails to
 * typecheck. Requests that are deliberately outside the contract (malformed bodies, wrong
 * content types, forged headers) go through the one escape hatch, `raw`.
 */

/** What a declared endpoint answers on success: its response schema's output, or the file as text. */
type SuccessBody<E extends Endpoint> = E["produces"] extends FileType ? string : z.output<E["response"]>;

/** The error an endpoint answers with: ours (`{ error }`'s inside), or Open311's `[{ code, description }]`. */
type ErrorOf<E extends Pick<Endpoint, "errors">> = E["errors"] extends "open311" ? Open311Error[] : ErrorBody["error"];

/**
 * A response as tests inspect it. `body` is typed as the success body; on an error status read
 * `error` instead, which throws (failing the test with the status and body) when the response is
 * not an error, so a test cannot read a success body as an error or the other way round unnoticed.
 */
export interface Reply<B, Err = ErrorBody["error"]> {
  status: number;
  headers: Headers;
  body: B;
  readonly error: Err;
}

/** The JSON body a declared endpoint accepts, for test data built ahead of the call. */
export type BodyOf<E extends Endpoint> = E["body"] extends z.ZodType ? z.input<E["body"]> : never;

/** Arguments are optional when the endpoint has no required params, query or body. */
type CallArgs<E extends Endpoint> = {} extends EndpointArgs<E> ? [args?: EndpointArgs<E>] : [args: EndpointArgs<E>];

/** A request outside the contract: any body (a string is sent as is), any headers. */
interface RawInit {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  /** JSON-encoded unless a string; a string is sent as is. */
  body?: unknown;
  /** Content type of the body; "application/json" when a body is given and this is not. */
  contentType?: string;
  headers?: Record<string, string>;
}

/** A tiny HTTP client that keeps a session cookie, like a browser would. */
export class TestClient {
  cookie = "";

  constructor(readonly baseUrl: string) {}

  /** Calls a declared endpoint with input typed from its schemas. */
  call<E extends Endpoint>(ep: E, ...args: CallArgs<E>): Promise<Reply<SuccessBody<E>, ErrorOf<E>>> {
    const a = args[0] as
      { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown } | undefined;
    // The one place a reply is trusted as typed, as the browser client does: the server strips
    // every success body to the endpoint's response schema.
    return this.send(ep, { params: a?.params, query: a?.query, body: a?.body }) as Promise<
      Reply<SuccessBody<E>, ErrorOf<E>>
    >;
  }

  /**
   * The escape hatch: a request deliberately outside the contract (malformed input, wrong content
   * type, forged headers). Given a declared endpoint, the reply is still typed as that endpoint's.
   */
  raw<E extends Endpoint>(ep: E, init?: RawInit): Promise<Reply<SuccessBody<E>, ErrorOf<E>>>;
  raw(method: Method, path: string, init?: RawInit): Promise<Reply<unknown>>;
  raw(target: Endpoint | Method, pathOrInit?: string | RawInit, maybeInit?: RawInit): Promise<Reply<unknown, unknown>> {
    if (typeof target === "string") return this.send({ method: target, path: pathOrInit as string }, maybeInit ?? {});
    return this.send(target, (pathOrInit as RawInit | undefined) ?? {});
  }

  private async send(
    route: Pick<Endpoint, "method" | "path" | "errors">,
    init: RawInit,
  ): Promise<Reply<unknown, unknown>> {
    const { body, contentType, headers = {} } = init;
    const res = await fetch(this.baseUrl + withQuery(fillPath(route.path, init.params), init.query), {
      method: route.method,
      headers: {
        ...(body !== undefined || contentType ? { "content-type": contentType ?? "application/json" } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get("set-cookie");
    if (setCookie) {
      const first = setCookie.split(";")[0]!;
      this.cookie = first.endsWith("=") ? "" : first;
    }
    return reply(res.status, res.headers, parseBody(await res.text()), route.errors === "open311");
  }

  /** Signs in; throws when it fails, so tests read as the user story. */
  async login(username: string, password = "demo"): Promise<this> {
    const r = await this.call(api.auth.login, { body: { username, password } });
    if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return this;
  }
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text; // not JSON: a file or a plain-text answer
  }
}

function reply(status: number, headers: Headers, body: unknown, open311: boolean): Reply<unknown, unknown> {
  return {
    status,
    headers,
    body,
    get error() {
      const describe = () => `expected an error reply, got ${status}: ${JSON.stringify(body)}`;
      if (status < 400) throw new Error(describe());
      if (open311) return body;
      const inner = (body as { error?: unknown } | undefined)?.error;
      if (inner === undefined) throw new Error(describe());
      return inner;
    },
  };
}

/** A signed-in client. */
export async function signedIn(baseUrl: string, username: string): Promise<TestClient> {
  return new TestClient(baseUrl).login(username);
}
