/**
 * import-openapi.ts: OpenAPI 3.0 (YAML) and Swagger 2.0 documents to tools, and the specs it
 * refuses. Recursive schemas are in json-schema.test.ts, GitHub's spec in github-spec.test.ts.
 */
import { describe, expect, it } from "vitest";
import { BINARY_BODY_SCHEMA, FILE_INPUT_SCHEMA, importOpenApi, parseSpecText, SpecError, type OpenApiTool } from "../../../worker/sources/openapi";

const PETSTORE_YAML = `
openapi: 3.0.3
info:
  title: Petstore
  description: |
    A sample API
    about pets.
  version: 1.0.0
servers:
  - url: /{version}
    variables:
      version:
        default: v1
security:
  - apiKey: []
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      summary: List all pets
      description: Returns the pets the caller may see, newest first.
      parameters:
        - name: limit
          in: query
          description: How many items to return at one time (max 100)
          schema: { type: integer, format: int32, maximum: 100 }
        - name: tags
          in: query
          style: form
          explode: false
          schema: { type: array, items: { type: string } }
        - name: X-Request-Id
          in: header
          schema: { type: string }
        - name: Accept
          in: header
          schema: { type: string }
      responses:
        "200":
          description: A paged array of pets
          content:
            application/json:
              schema:
                type: array
                items: { $ref: "#/components/schemas/Pet" }
        default:
          description: unexpected error
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Error" }
    post:
      operationId: createPet
      tags: [pets]
      summary: Create a pet
      requestBody:
        required: true
        content:
          application/xml:
            schema: { $ref: "#/components/schemas/NewPet" }
          application/json:
            schema: { $ref: "#/components/schemas/NewPet" }
      responses:
        "201":
          description: Null response
  /pets/{petId}:
    parameters:
      - $ref: "#/components/parameters/PetId"
    get:
      operationId: showPetById
      tags: [pets]
      summary: Info for a specific pet
      security: []
      responses:
        "200":
          description: Expected response to a valid request
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Pet" }
    delete:
      tags: [pets]
      parameters:
        - name: id
          in: query
          schema: { type: string }
        - name: force
          in: cookie
          schema: { type: boolean }
      responses:
        "204": { description: Deleted }
  /health:
    head:
      responses:
        "200": { description: Up }
components:
  parameters:
    PetId:
      name: petId
      in: path
      required: true
      description: The id of the pet to retrieve
      schema: { type: string }
  securitySchemes:
    apiKey: { type: apiKey, in: header, name: X-API-Key }
    bearer: { type: http, scheme: Bearer }
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: { type: integer, format: int64 }
        name: { type: string, example: doggie }
        tag: { type: string, nullable: true }
        age: { type: integer, minimum: 0, exclusiveMinimum: true }
      xml: { name: pet }
    NewPet:
      type: object
      required: [name]
      properties:
        name: { type: string }
        tag: { type: string }
    Error:
      type: object
      properties:
        code: { type: integer }
        message: { type: string }
`;

function toolNamed(tools: OpenApiTool[], name: string): OpenApiTool {
  const tool = tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name} in ${tools.map((candidate) => candidate.name).join(", ")}`);
  return tool;
}

describe("OpenAPI 3.0 petstore (YAML)", () => {
  const petstore = importOpenApi(parseSpecText(PETSTORE_YAML), { specUrl: "https://petstore.example.com/specs/openapi.yaml" });

  it("reads the integration's metadata", () => {
    expect(petstore.title).toBe("Petstore");
    expect(petstore.description).toBe("A sample API about pets.");
    expect(petstore.version).toBe("1.0.0");
    expect(petstore.securitySchemes).toEqual({
      apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
      bearer: { type: "http", scheme: "bearer" },
    });
  });

  it("resolves a relative server against the spec URL, with variables at their defaults", () => {
    expect(petstore.baseUrl).toBe("https://petstore.example.com/v1");
  });

  it("names tools by tag and operationId, or by method and path", () => {
    expect(petstore.tools.map((tool) => tool.name)).toEqual([
      "pets.listPets",
      "pets.createPet",
      "pets.showPetById",
      "pets.deletePetsPetId",
      "headHealth",
    ]);
  });

  it.each([
    ["pets.listPets", "allow"],
    ["pets.createPet", "approve"],
    ["pets.showPetById", "allow"],
    ["pets.deletePetsPetId", "approve"],
    ["headHealth", "allow"],
  ] as const)("%s defaults to %s", (name, policy) => {
    expect(toolNamed(petstore.tools, name).defaultPolicy).toBe(policy);
  });

  it("makes query and header parameters properties, leaving out the headers Executor owns", () => {
    const list = toolNamed(petstore.tools, "pets.listPets");
    expect(list.description).toBe("List all pets. Returns the pets the caller may see, newest first.");
    expect(list.inputSchema).toEqual({
      type: "object",
      properties: {
        limit: { type: "integer", format: "int32", maximum: 100, description: "How many items to return at one time (max 100)" },
        tags: { type: "array", items: { type: "string" } },
        "X-Request-Id": { type: "string" },
      },
      additionalProperties: false,
    });
    expect(list.invocation).toEqual({
      method: "GET",
      path: "/pets",
      parameters: [
        { name: "limit", in: "query", arg: "limit", required: false },
        { name: "tags", in: "query", arg: "tags", required: false, style: "form", explode: false },
        { name: "X-Request-Id", in: "header", arg: "X-Request-Id", required: false },
      ],
      security: [["apiKey"]],
    });
  });

  it("takes the first 2xx JSON response as the output schema, with its refs in $defs", () => {
    expect(toolNamed(petstore.tools, "pets.listPets").outputSchema).toEqual({
      type: "array",
      items: { $ref: "#/$defs/Pet" },
      $defs: {
        Pet: {
          type: "object",
          required: ["id", "name"],
          properties: {
            id: { type: "integer", format: "int64" },
            name: { type: "string" },
            tag: { type: ["string", "null"] },
            age: { type: "integer", exclusiveMinimum: 0 },
          },
        },
      },
    });
    expect(toolNamed(petstore.tools, "pets.createPet").outputSchema).toBeNull();
  });

  it("prefers a JSON request body and requires it when the spec does", () => {
    const create = toolNamed(petstore.tools, "pets.createPet");
    expect(create.inputSchema).toEqual({
      type: "object",
      properties: { body: { $ref: "#/$defs/NewPet" } },
      required: ["body"],
      additionalProperties: false,
      $defs: { NewPet: { type: "object", required: ["name"], properties: { name: { type: "string" }, tag: { type: "string" } } } },
    });
    expect(create.invocation.body).toEqual({ contentType: "application/json", required: true });
  });

  it("resolves path-level $ref parameters, always requires path parameters, and honours `security: []`", () => {
    const show = toolNamed(petstore.tools, "pets.showPetById");
    expect(show.inputSchema.properties).toEqual({ petId: { type: "string", description: "The id of the pet to retrieve" } });
    expect(show.inputSchema.required).toEqual(["petId"]);
    expect(show.invocation.security).toEqual([]);
  });

  it("keeps cookie parameters and merges path-level with operation-level ones", () => {
    const remove = toolNamed(petstore.tools, "pets.deletePetsPetId");
    expect(Object.keys(remove.inputSchema.properties as object)).toEqual(["petId", "id", "force"]);
    expect(remove.invocation.parameters.map((parameter) => `${parameter.in}:${parameter.arg}`)).toEqual(["path:petId", "query:id", "cookie:force"]);
  });

  it("uses a base URL given by the caller instead of the spec's", () => {
    const overridden = importOpenApi(parseSpecText(PETSTORE_YAML), { baseUrl: "https://staging.example.com/api/" });
    expect(overridden.baseUrl).toBe("https://staging.example.com/api");
  });

  it("has no base URL for a relative server when it does not know where the spec came from", () => {
    expect(importOpenApi(parseSpecText(PETSTORE_YAML)).baseUrl).toBeNull();
  });
});

describe("parameter names that clash between locations", () => {
  const spec = {
    openapi: "3.1.0",
    info: { title: "Clash", version: "1" },
    servers: [{ url: "https://api.example.com/{region}/v2", variables: { region: { default: "eu", enum: ["eu", "us"] } } }],
    paths: {
      "/items/{id}": {
        put: {
          operationId: "items.replace",
          parameters: [
            { name: "id", in: "path", schema: { type: "string" } },
            { name: "id", in: "query", schema: { type: "string" } },
            { name: "body", in: "header", required: true, schema: { type: "string" } },
          ],
          requestBody: { content: { "application/x-www-form-urlencoded": { schema: { type: "object" } } } },
          responses: { "200": { description: "ok", content: { "*/*": { schema: { type: "string" } } } } },
        },
      },
    },
  };

  it("renames the non-path ones and keeps the mapping in the invocation", () => {
    const [tool] = importOpenApi(spec).tools;
    expect(tool.name).toBe("itemsReplace");
    expect(tool.inputSchema.properties).toEqual({ id: { type: "string" }, query_id: { type: "string" }, header_body: { type: "string" }, body: { type: "object" } });
    expect(tool.inputSchema.required).toEqual(["id", "header_body"]);
    expect(tool.invocation.parameters.map((parameter) => [parameter.name, parameter.in, parameter.arg])).toEqual([
      ["id", "path", "id"],
      ["id", "query", "query_id"],
      ["body", "header", "header_body"],
    ]);
    expect(tool.invocation.body).toEqual({ contentType: "application/x-www-form-urlencoded", required: false });
    expect(tool.outputSchema).toEqual({ type: "string" });
  });

  it("adds a path placeholder the spec forgot to declare as a required string", () => {
    const sloppy = { openapi: "3.0.0", info: { title: "t", version: "1" }, paths: { "/orgs/{org}/members": { get: { responses: {} } } } };
    const [tool] = importOpenApi(sloppy).tools;
    expect(tool.inputSchema).toEqual({ type: "object", properties: { org: { type: "string" } }, required: ["org"], additionalProperties: false });
    expect(tool.invocation.parameters).toEqual([{ name: "org", in: "path", arg: "org", required: true }]);
  });

  it("defaults server variables", () => {
    expect(importOpenApi(spec).baseUrl).toBe("https://api.example.com/eu/v2");
  });
});

const SWAGGER_PETSTORE = {
  swagger: "2.0",
  info: { title: "Swagger Petstore", version: "1.0.7", description: "This is a sample server Petstore server." },
  host: "petstore.swagger.io",
  basePath: "/v2",
  schemes: ["http", "https"],
  tags: [{ name: "pet" }, { name: "store" }, { name: "user" }],
  paths: {
    "/pet": {
      post: {
        tags: ["pet"],
        summary: "Add a new pet to the store",
        operationId: "addPet",
        consumes: ["application/json", "application/xml"],
        produces: ["application/xml", "application/json"],
        parameters: [{ in: "body", name: "body", description: "Pet object that needs to be added to the store", required: true, schema: { $ref: "#/definitions/Pet" } }],
        responses: { "405": { description: "Invalid input" } },
        security: [{ petstore_auth: ["write:pets", "read:pets"] }],
      },
    },
    "/pet/findByStatus": {
      get: {
        tags: ["pet"],
        summary: "Finds Pets by status",
        operationId: "findPetsByStatus",
        produces: ["application/json", "application/xml"],
        parameters: [
          {
            name: "status",
            in: "query",
            description: "Status values that need to be considered for filter",
            required: true,
            type: "array",
            items: { type: "string", enum: ["available", "pending", "sold"], default: "available" },
            collectionFormat: "multi",
          },
        ],
        responses: {
          "200": { description: "successful operation", schema: { type: "array", items: { $ref: "#/definitions/Pet" } } },
          "400": { description: "Invalid status value" },
        },
        security: [{ petstore_auth: ["write:pets", "read:pets"] }],
      },
    },
    "/pet/{petId}": {
      get: {
        tags: ["pet"],
        summary: "Find pet by ID",
        operationId: "getPetById",
        produces: ["application/json"],
        parameters: [{ name: "petId", in: "path", description: "ID of pet to return", required: true, type: "integer", format: "int64" }],
        responses: { "200": { description: "successful operation", schema: { $ref: "#/definitions/Pet" } } },
        security: [{ api_key: [] }],
      },
      post: {
        tags: ["pet"],
        summary: "Updates a pet in the store with form data",
        operationId: "updatePetWithForm",
        consumes: ["application/x-www-form-urlencoded"],
        parameters: [
          { name: "petId", in: "path", required: true, type: "integer", format: "int64" },
          { name: "name", in: "formData", description: "Updated name of the pet", required: false, type: "string" },
          { name: "status", in: "formData", required: false, type: "string" },
        ],
        responses: { "405": { description: "Invalid input" } },
      },
    },
    "/pet/{petId}/uploadImage": {
      post: {
        tags: ["pet"],
        operationId: "uploadFile",
        consumes: ["multipart/form-data"],
        parameters: [
          { name: "petId", in: "path", required: true, type: "integer", format: "int64" },
          { name: "file", in: "formData", required: true, type: "file" },
        ],
        responses: { "200": { description: "successful operation", schema: { $ref: "#/definitions/ApiResponse" } } },
      },
    },
    "/store/inventory": {
      get: {
        tags: ["store"],
        operationId: "getInventory",
        produces: ["application/json"],
        responses: { "200": { description: "ok", schema: { type: "object", additionalProperties: { type: "integer", format: "int32" } } } },
        security: [{ api_key: [] }],
      },
    },
    "/user/login": {
      get: {
        tags: ["user"],
        operationId: "loginUser",
        parameters: [
          { $ref: "#/parameters/username" },
          { name: "password", in: "query", required: true, type: "string" },
        ],
        responses: { "200": { description: "ok", schema: { type: "string" } } },
      },
    },
  },
  parameters: { username: { name: "username", in: "query", required: true, type: "string", description: "The user name for login" } },
  securityDefinitions: {
    api_key: { type: "apiKey", name: "api_key", in: "header" },
    petstore_auth: {
      type: "oauth2",
      authorizationUrl: "https://petstore.swagger.io/oauth/authorize",
      flow: "implicit",
      scopes: { "read:pets": "read your pets", "write:pets": "modify pets in your account" },
    },
  },
  definitions: {
    Category: { type: "object", properties: { id: { type: "integer", format: "int64" }, name: { type: "string" } } },
    Tag: { type: "object", properties: { id: { type: "integer", format: "int64" }, name: { type: "string" } } },
    Pet: {
      type: "object",
      required: ["name", "photoUrls"],
      properties: {
        id: { type: "integer", format: "int64" },
        category: { $ref: "#/definitions/Category" },
        name: { type: "string", example: "doggie" },
        photoUrls: { type: "array", xml: { wrapped: true }, items: { type: "string" } },
        tags: { type: "array", items: { $ref: "#/definitions/Tag" } },
        status: { type: "string", description: "pet status in the store", enum: ["available", "pending", "sold"] },
      },
    },
    ApiResponse: { type: "object", properties: { code: { type: "integer" }, type: { type: "string" }, message: { type: "string" } } },
  },
};

describe("Swagger 2.0 petstore", () => {
  const petstore = importOpenApi(SWAGGER_PETSTORE);

  it("builds the server URL from host, basePath and the https scheme", () => {
    expect(petstore.title).toBe("Swagger Petstore");
    expect(petstore.baseUrl).toBe("https://petstore.swagger.io/v2");
  });

  it("converts the security definitions", () => {
    expect(petstore.securitySchemes).toEqual({
      api_key: { type: "apiKey", name: "api_key", in: "header" },
      petstore_auth: { type: "oauth2", authorizationUrl: "https://petstore.swagger.io/oauth/authorize", scopes: ["read:pets", "write:pets"] },
    });
    expect(toolNamed(petstore.tools, "pet.addPet").invocation.security).toEqual([["petstore_auth"]]);
  });

  it("makes one tool per operation", () => {
    expect(petstore.tools.map((tool) => tool.name)).toEqual([
      "pet.addPet",
      "pet.findPetsByStatus",
      "pet.getPetById",
      "pet.updatePetWithForm",
      "pet.uploadFile",
      "store.getInventory",
      "user.loginUser",
    ]);
  });

  it("turns a body parameter into the request body, with definitions as $defs", () => {
    const add = toolNamed(petstore.tools, "pet.addPet");
    expect(add.inputSchema.properties).toEqual({ body: { $ref: "#/$defs/Pet", description: "Pet object that needs to be added to the store" } });
    expect(add.inputSchema.required).toEqual(["body"]);
    expect(Object.keys(add.inputSchema.$defs as object)).toEqual(["Category", "Pet", "Tag"]);
    expect(add.invocation.body).toEqual({ contentType: "application/json", required: true });
  });

  it("turns formData parameters into a form body", () => {
    const update = toolNamed(petstore.tools, "pet.updatePetWithForm");
    expect(update.inputSchema.properties).toEqual({
      petId: { type: "integer", format: "int64" },
      body: {
        type: "object",
        properties: { name: { type: "string", description: "Updated name of the pet" }, status: { type: "string" } },
      },
    });
    expect(update.invocation.body).toEqual({ contentType: "application/x-www-form-urlencoded", required: false });
    const upload = toolNamed(petstore.tools, "pet.uploadFile");
    // The `type: file` field takes the bytes in base64 (input-schema.ts FILE_INPUT_SCHEMA).
    expect(upload.invocation.body).toEqual({ contentType: "multipart/form-data", required: true, files: ["file"] });
    expect((upload.inputSchema.properties as Record<string, unknown>).body).toEqual({
      type: "object",
      properties: { file: FILE_INPUT_SCHEMA },
      required: ["file"],
    });
  });

  it("maps collectionFormat multi to an exploded form query parameter", () => {
    const find = toolNamed(petstore.tools, "pet.findPetsByStatus");
    expect(find.invocation.parameters).toEqual([{ name: "status", in: "query", arg: "status", required: true, style: "form", explode: true }]);
    expect((find.inputSchema.properties as Record<string, unknown>).status).toEqual({
      type: "array",
      items: { type: "string", enum: ["available", "pending", "sold"], default: "available" },
      description: "Status values that need to be considered for filter",
    });
  });

  it("reads response schemas and resolves $ref parameters", () => {
    expect(toolNamed(petstore.tools, "store.getInventory").outputSchema).toEqual({
      type: "object",
      additionalProperties: { type: "integer", format: "int32" },
    });
    expect(toolNamed(petstore.tools, "pet.getPetById").outputSchema).toMatchObject({ $ref: "#/$defs/Pet" });
    expect(toolNamed(petstore.tools, "user.loginUser").inputSchema.required).toEqual(["username", "password"]);
  });
});

describe("specs that cannot be imported", () => {
  it.each([
    ["a JSON array", [], /not a JSON or YAML object/],
    ["null", null, /not a JSON or YAML object/],
    ["no version field", { info: { title: "x" }, paths: {} }, /neither an `openapi` nor a `swagger` field/],
    ["Swagger 1.2", { swagger: "1.2", paths: {} }, /Swagger 1\.2 is not supported/],
    ["OpenAPI 4", { openapi: "4.0.0", paths: {} }, /OpenAPI 4\.0\.0 is not supported/],
    ["missing paths", { openapi: "3.0.0", info: { title: "x", version: "1" } }, /no `paths`/],
    ["no operations", { openapi: "3.1.0", info: { title: "x", version: "1" }, paths: { "/a": { summary: "nothing", parameters: [] } } }, /no operations/],
    ["Swagger without operations", { swagger: "2.0", info: { title: "x", version: "1" }, paths: {} }, /no operations/],
  ])("refuses %s", (_case, document, message) => {
    expect(() => importOpenApi(document)).toThrow(SpecError);
    expect(() => importOpenApi(document)).toThrow(message);
  });
});

describe("request bodies that carry bytes", () => {
  const importBody = (content: Record<string, unknown>, openapi = "3.0.3", components: Record<string, unknown> = {}) => {
    const [tool] = importOpenApi({
      openapi,
      info: { title: "t", version: "1" },
      servers: [{ url: "https://api.example.com" }],
      components,
      paths: { "/upload": { post: { operationId: "send", requestBody: { required: true, content }, responses: { "200": { description: "ok" } } } } },
    }).tools;
    return { body: (tool.inputSchema.properties as Record<string, unknown>).body, invocation: tool.invocation.body };
  };

  it.each([
    ["octet-stream with format binary", { "application/octet-stream": { schema: { type: "string", format: "binary" } } }, "application/octet-stream"],
    ["octet-stream without a schema", { "application/octet-stream": {} }, "application/octet-stream"],
    ["an image type with a plain string schema", { "image/png": { schema: { type: "string" } } }, "image/png"],
    ["a wildcard type with format binary", { "*/*": { schema: { type: "string", format: "binary" } } }, "*/*"],
    ["text with format binary", { "text/csv": { schema: { type: "string", format: "binary" } } }, "text/csv"],
    ["3.1 contentMediaType", { "application/pdf": { schema: { type: "string", contentMediaType: "application/pdf" } } }, "application/pdf"],
  ])("%s takes {base64, contentType?}", (_case, content, contentType) => {
    expect(importBody(content)).toEqual({ body: BINARY_BODY_SCHEMA, invocation: { contentType, required: true, binary: true } });
  });

  it.each([
    ["a wildcard type with an object schema (JSON, as generated specs mean it)", { "*/*": { schema: { type: "object", properties: { a: { type: "string" } } } } }],
    ["JSON with a string schema", { "application/json": { schema: { type: "string" } } }],
    ["plain text", { "text/plain": { schema: { type: "string" } } }],
    ["3.1 base64 text (contentEncoding)", { "text/plain": { schema: { type: "string", contentMediaType: "image/png", contentEncoding: "base64" } } }],
  ])("%s keeps its own schema", (_case, content) => {
    const { body, invocation } = importBody(content);
    expect(body).not.toEqual(BINARY_BODY_SCHEMA);
    expect(invocation).not.toHaveProperty("binary");
  });

  it("a multipart body's binary fields (through refs, in arrays, 3.1 style) take file inputs; other fields keep their schemas", () => {
    const components = { schemas: { Upload: { type: "object", required: ["file", "title"], description: "An upload.", properties: { file: { $ref: "#/components/schemas/Blob" }, pages: { type: "array", items: { type: "string", contentMediaType: "image/png" } }, title: { type: "string" }, meta: { $ref: "#/components/schemas/Meta" } } }, Blob: { type: "string", format: "binary", description: "The file." }, Meta: { type: "object", properties: { n: { type: "integer" } } } } };
    const [tool] = importOpenApi({
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      servers: [{ url: "https://api.example.com" }],
      components,
      paths: { "/upload": { post: { operationId: "send", requestBody: { required: true, content: { "multipart/form-data": { schema: { $ref: "#/components/schemas/Upload" } } } }, responses: { "200": { description: "ok" } } } } },
    }).tools;
    expect(tool.invocation.body).toEqual({ contentType: "multipart/form-data", required: true, files: ["file", "pages"] });
    expect(tool.inputSchema.properties).toEqual({
      body: {
        type: "object",
        description: "An upload.",
        required: ["file", "title"],
        properties: {
          file: { ...FILE_INPUT_SCHEMA, description: "The file." },
          pages: { type: "array", items: FILE_INPUT_SCHEMA },
          title: { type: "string" },
          meta: { $ref: "#/$defs/Meta" },
        },
      },
    });
    // Only the defs the other fields use travel with the tool.
    expect(Object.keys(tool.inputSchema.$defs as object)).toEqual(["Meta"]);
  });

  it("prefers JSON when the spec offers it beside multipart", () => {
    const { invocation } = importBody({ "multipart/form-data": { schema: { type: "object", properties: { file: { type: "string", format: "binary" } } } }, "application/json": { schema: { type: "object" } } });
    expect(invocation).toEqual({ contentType: "application/json", required: true });
  });
});
