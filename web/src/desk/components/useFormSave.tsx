import { useState } from "react";
import { Alert, type FormInstance } from "antd";
import type { z } from "zod";
import { useTranslation } from "react-i18next";
import { errorText } from "../../i18n/errors.js";
import { localFieldErrors, serverFieldErrors, showFieldErrors } from "./formErrors.js";

/** What went wrong with the last save: a server error and/or problems that belong to no field. */
export interface FormProblem {
  err?: unknown;
  rest?: string;
}

/**
 * The save step every desk form shares: check the body in the browser with the same zod schema the
 * server uses, send it, and put problems on the fields they name (the browser's and the server's),
 * with what belongs to no field in a banner (see {@link FormProblemBanner}). `busy` covers the send.
 */
export function useFormSave(form: FormInstance, fields: readonly string[], rename: Record<string, string> = {}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<FormProblem | null>(null);

  /**
   * Checks `body` with `schema` (plus `also`: rules the schema cannot say, by field), then runs
   * `send`; true when it went through.
   */
  async function save(
    schema: z.ZodType,
    body: unknown,
    send: () => Promise<unknown>,
    also: Record<string, string> = {},
  ): Promise<boolean> {
    setProblem(null);
    const local = { ...also, ...localFieldErrors(schema, body) };
    if (Object.keys(local).length) {
      const rest = showFieldErrors(form, local, fields, rename);
      if (rest) setProblem({ rest });
      return false;
    }
    setBusy(true);
    try {
      await send();
      return true;
    } catch (err) {
      setProblem({ err, rest: showFieldErrors(form, serverFieldErrors(err), fields, rename) });
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { busy, problem, save };
}

/** The banner under a form for the problem of its last save, if any. */
export function FormProblemBanner({ problem }: { problem: FormProblem | null }) {
  const { t: tc } = useTranslation();
  if (!problem) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={problem.err !== undefined ? errorText(tc, problem.err) : problem.rest}
      description={problem.err !== undefined ? problem.rest || undefined : undefined}
    />
  );
}
