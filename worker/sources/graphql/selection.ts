/**
 * The fields a tool returns when the caller gives no `select`: the result type's scalar and enum
 * fields, and its object fields down to `SELECTION_DEPTH` levels with their own scalars. The walk
 * is bounded by depth and by `MAX_SELECTED_FIELDS` per level, so recursive types (GitHub's
 * `Repository.parent: Repository`) cannot make it loop or grow without limit.
 * Left out, because the server would reject or refuse them without input only the caller has:
 * fields with required arguments, deprecated fields, and connection fields below the root
 * (GitHub demands `first` or `last` on every connection).
 */
import {
  getNamedType,
  isInterfaceType,
  isLeafType,
  isObjectType,
  isRequiredArgument,
  isUnionType,
  Kind,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLUnionType,
  type SelectionNode,
  type SelectionSetNode,
} from "graphql";

/** Levels of object fields selected by default: 2 is the result's scalars plus its objects' scalars. */
export const SELECTION_DEPTH = 2;
/** At most this many fields in one selection set; a union's members share it. */
export const MAX_SELECTED_FIELDS = 40;
/** Selected before the other scalars, so that the cap never drops what identifies a result. */
const LEADING_FIELDS = ["id", "name", "login", "title", "number", "url"];

/** The default selection set for a field of `type`; undefined when the type is a scalar or enum. */
export function defaultSelection(type: GraphQLOutputType): SelectionSetNode | undefined {
  const named = getNamedType(type);
  return isLeafType(named) ? undefined : compositeSelection(named, SELECTION_DEPTH);
}

function compositeSelection(type: GraphQLCompositeType, depth: number): SelectionSetNode {
  if (isUnionType(type)) return unionSelection(type);
  const selections: SelectionNode[] = isInterfaceType(type) ? [fieldNode("__typename")] : [];
  const candidates = [...leafFields(type), ...(depth > 1 ? objectFields(type) : [])];
  for (const field of candidates.slice(0, MAX_SELECTED_FIELDS - selections.length)) {
    const named = getNamedType(field.type);
    selections.push(fieldNode(field.name, isLeafType(named) ? undefined : compositeSelection(named, depth - 1)));
  }
  if (selections.length === 0) selections.push(fieldNode("__typename"));
  return { kind: Kind.SELECTION_SET, selections };
}

/**
 * `__typename`, then each member's scalars in an inline fragment, the field budget split between
 * members. A field another member already selected with a different type is skipped: GraphQL
 * rejects one response key with two shapes (GitHub's `Issue.state` and `PullRequest.state`).
 */
function unionSelection(type: GraphQLUnionType): SelectionSetNode {
  const members = type.getTypes();
  const perMember = Math.max(1, Math.floor((MAX_SELECTED_FIELDS - 1) / Math.max(1, members.length)));
  const typesByKey = new Map<string, string>();
  const selections: SelectionNode[] = [fieldNode("__typename")];
  for (const member of members) {
    const fields = leafFields(member)
      .filter((field) => (typesByKey.get(field.name) ?? String(field.type)) === String(field.type))
      .slice(0, perMember);
    if (fields.length === 0) continue;
    for (const field of fields) typesByKey.set(field.name, String(field.type));
    selections.push({
      kind: Kind.INLINE_FRAGMENT,
      typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: member.name } },
      selectionSet: { kind: Kind.SELECTION_SET, selections: fields.map((field) => fieldNode(field.name)) },
    });
  }
  return { kind: Kind.SELECTION_SET, selections };
}

type FieldParent = GraphQLObjectType | GraphQLInterfaceType;
type OutputField = GraphQLField<unknown, unknown>;

/** The scalar and enum fields, identifying ones first. */
function leafFields(type: FieldParent): OutputField[] {
  const leaves = selectableFields(type).filter((field) => isLeafType(getNamedType(field.type)));
  const leading = LEADING_FIELDS.flatMap((name) => leaves.filter((field) => field.name === name));
  return [...leading, ...leaves.filter((field) => !LEADING_FIELDS.includes(field.name))];
}

/** The object, interface and union fields worth descending into. */
function objectFields(type: FieldParent): OutputField[] {
  const fields = selectableFields(type).filter((field) => !isLeafType(getNamedType(field.type)));
  // A connection's `edges` repeat its `nodes` with a cursor each; `pageInfo` already has the cursors.
  const dropEdges = isConnection(type) && fields.some((field) => field.name === "nodes");
  return fields.filter((field) => !isConnection(getNamedType(field.type)) && !(dropEdges && field.name === "edges"));
}

function selectableFields(type: FieldParent): OutputField[] {
  return Object.values(type.getFields()).filter(
    (field) => !field.name.startsWith("__") && field.deprecationReason == null && !field.args.some(isRequiredArgument),
  );
}

/** A Relay-style connection: an object with `pageInfo` and `nodes` or `edges`. */
function isConnection(type: GraphQLNamedType): boolean {
  if (!isObjectType(type)) return false;
  const fields = type.getFields();
  return "pageInfo" in fields && ("nodes" in fields || "edges" in fields);
}

function fieldNode(name: string, selectionSet?: SelectionSetNode): FieldNode {
  return { kind: Kind.FIELD, name: { kind: Kind.NAME, value: name }, ...(selectionSet ? { selectionSet } : {}) };
}
