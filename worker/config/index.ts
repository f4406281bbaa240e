export {
  loadConfig,
  parseConfig,
  isLoopbackHost,
  slugify,
  MIN_SECRET_KEY_LENGTH,
  type Config,
  type ConfigResult,
  type AccessSettings,
} from "./load-config";
export { requireConfig } from "./require-config";
