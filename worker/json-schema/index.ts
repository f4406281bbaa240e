export { checkJsonSchema, type SchemaProblem } from "./check";
