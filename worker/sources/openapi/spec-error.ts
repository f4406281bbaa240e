/**
 * The one error an OpenAPI import throws: the spec itself cannot be used. Its message is
 * shown to the person who registered the integration, so it names the problem in plain words.
 * It is not for failures while calling a tool (those are ExecutorErrors, see worker/errors).
 */

/** Thrown for a spec that cannot be used; `message` says why in a sentence a user understands. */
export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SpecError";
  }
}
