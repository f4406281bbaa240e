/**
 * The one error `buildRequest` throws: an argument passed the input schema but cannot be put
 * on the wire safely (a path value that would change which operation is called). The invoker
 * reports it to the program as `invalid_arguments`. It is not for specs that cannot be
 * imported (those are `SpecError`) nor for failures of the call itself.
 */

/** An argument `buildRequest` refuses to send; `argument` is the input property, `message` says why. */
export class InvalidArgumentError extends Error {
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(message);
    this.name = "InvalidArgumentError";
  }
}
