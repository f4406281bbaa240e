/**
 * The JavaScript installed in every fresh context before the agent's code: `console`,
 * `tools`, a seeded `Math.random` and a `Date` fixed to the execution's start. The last two
 * make a program deterministic, which replay after an approval depends on.
 *
 * It is evaluated to a function and called with the host functions as arguments, so they
 * live only in closures: nothing host-provided is reachable from globalThis. Every value
 * crosses the boundary as a JSON string.
 */
export const PRELUDE = String.raw`(function installPrelude(hostCall, hostLog, seed, startTime) {
  "use strict";
  // Captured now: the program may replace JSON or Error later, and the bridge must not care.
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const ErrorClass = Error;
  const toText = String;
  const noFunctions = (_key, value) => {
    if (typeof value === "function" || typeof value === "symbol") throw new TypeError("functions and symbols cannot be sent to a tool");
    return value;
  };
  let state = seed >>> 0;
  Math.random = function random() {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  const RealDate = Date;
  function FixedDate(...args) {
    if (!new.target) return new RealDate(startTime).toString();
    return args.length === 0 ? new RealDate(startTime) : new RealDate(...args);
  }
  FixedDate.prototype = RealDate.prototype;
  FixedDate.now = () => startTime;
  FixedDate.parse = RealDate.parse;
  FixedDate.UTC = RealDate.UTC;
  globalThis.Date = FixedDate;

  const format = (value) => {
    if (typeof value === "string") return value;
    try {
      if (value instanceof ErrorClass) return toText(value.name) + ": " + toText(value.message);
      const text = stringify(value);
      return text === undefined ? toText(value) : text;
    } catch {
      return "[unprintable]";
    }
  };
  const logger = (level) => (...args) => { hostLog(level, args.map(format).join(" ")); };
  globalThis.console = Object.freeze({
    log: logger("log"), info: logger("info"), warn: logger("warn"), error: logger("error"), debug: logger("debug"),
  });

  const toolError = (payload) => {
    const error = new ErrorClass(toText(payload.message));
    error.name = "ToolError";
    error.code = payload.code;
    if (payload.status !== undefined) error.status = payload.status;
    if (payload.details !== undefined) error.details = payload.details;
    return error;
  };
  const call = async (kind, payload) => {
    let text;
    try {
      text = stringify(payload, noFunctions);
    } catch (cause) {
      throw toolError({ code: "invalid_arguments", message: "Arguments must be JSON-serialisable: " + toText(cause && cause.message) });
    }
    const reply = parse(await hostCall(kind, text));
    if (reply.ok) return reply.value;
    throw toolError(reply.error);
  };

  const toolFunction = (address) => new Proxy(function tool() {}, {
    get(_target, key) {
      if (typeof key !== "string" || key === "then") return undefined;
      return toolFunction(address + "." + key);
    },
    apply(_target, _this, args) {
      return call("tool", { address, args: args[0] === undefined ? {} : args[0], options: args[1] === undefined ? {} : args[1] });
    },
  });
  const builtins = Object.freeze({
    search: (query, options) => call("search", { query, options: options === undefined ? {} : options }),
    describe: (address) => call("describe", { address }),
  });
  const tools = new Proxy(builtins, {
    get(target, key) {
      if (Object.prototype.hasOwnProperty.call(target, key)) return target[key];
      if (typeof key !== "string" || key === "then") return undefined;
      return toolFunction(key);
    },
  });
  Object.defineProperty(globalThis, "tools", { value: tools, enumerable: true });

  return Object.freeze({
    serialize: (value) => (value === undefined ? undefined : stringify(value)),
    describeError: (error) => {
      try {
        if (error instanceof ErrorClass) {
          return stringify({ name: toText(error.name), message: toText(error.message), code: typeof error.code === "string" ? error.code : undefined });
        }
        return stringify({ name: "Error", message: "Uncaught " + format(error) });
      } catch {
        return stringify({ name: "Error", message: "Uncaught error that cannot be described" });
      }
    },
  });
})`;
