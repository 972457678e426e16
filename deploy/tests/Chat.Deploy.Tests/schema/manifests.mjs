// Offline schema validation for the deploy tests, driven from C# over stdin/stdout (JSON in, JSON out).
//   node manifests.mjs validate  < objects.json   -> JSON array of { index, id, errors[] }, one per object
// Built-in kinds are checked against kubernetes-models (the Kubernetes OpenAPI schemas: required fields, types,
// enums, formats); KEDA kinds against @kubernetes-models/keda, Gateway API kinds against @kubernetes-models/gateway-api
// (their CRD schemas); a kind whose CustomResourceDefinition is among the objects (ours: ConnectionPolicy) against
// that CRD's openAPIV3Schema. A kind without a schema is an error.
// CRD schemas do not forbid unknown fields (the API server silently prunes them), so for custom resources every
// field is also probed: replaced by a value no schema accepts ([[]]), the object must fail validation; if it still
// passes, nothing in the schema describes that field and it is reported as unknown (a typo the cluster would drop).
const readStdin = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
};

import Ajv from "ajv";

const splitApiVersion = (apiVersion) => (apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion]);

const modulePath = (apiVersion, kind) => {
  const [group, version] = splitApiVersion(apiVersion);
  if (group.endsWith("keda.sh")) return `@kubernetes-models/keda/${group}/${version}/${kind}`;
  if (group.startsWith("gateway.networking")) return `@kubernetes-models/gateway-api/${group}/${version}/${kind}`;
  return group === "" ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
};

// The schemas of the CRDs among the objects, as model classes like kubernetes-models' ("group/version/Kind" -> class).
const crdModels = (objects) => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const models = new Map();
  for (const crd of objects.filter((o) => o?.kind === "CustomResourceDefinition")) {
    for (const version of crd.spec?.versions ?? []) {
      const schema = version.schema?.openAPIV3Schema;
      if (!schema) continue;
      const check = ajv.compile(schema);
      models.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, class {
        constructor(obj) { this.obj = obj; }
        validate() {
          if (!check(this.obj)) throw Object.assign(new Error("invalid"), { errors: check.errors });
        }
      });
    }
  }
  return models;
};

const validateOne = async (obj, index, crds) => {
  const id = `${obj?.apiVersion}/${obj?.kind} ${obj?.metadata?.namespace ?? ""}/${obj?.metadata?.name ?? ""}`;
  if (typeof obj?.apiVersion !== "string" || typeof obj?.kind !== "string") {
    return { index, id, errors: ["apiVersion and kind are required strings"] };
  }
  let Model = crds.get(`${obj.apiVersion}/${obj.kind}`);
  try {
    Model ??= (await import(modulePath(obj.apiVersion, obj.kind)))[obj.kind];
  } catch {
    Model = undefined;
  }
  if (typeof Model !== "function") {
    return { index, id, errors: [`no schema for ${obj.apiVersion} ${obj.kind}`] };
  }
  const errors = schemaErrors(Model, obj);
  if (errors.length === 0 && (isCustomResource(obj.apiVersion) || crds.has(`${obj.apiVersion}/${obj.kind}`))) {
    // metadata is the API server's to check (a CRD schema says only "object"); everything else must be described.
    for (const path of fieldPaths(obj).filter((p) => p[0] !== "metadata" || crds.has(`${obj.apiVersion}/${obj.kind}`) === false)) {
      if (schemaErrors(Model, withValueAt(obj, path, [[]])).length === 0) errors.push(`/${path.join("/")} is not a field of the schema`);
    }
  }
  return { index, id, errors };
};

const isCustomResource = (apiVersion) => {
  const group = splitApiVersion(apiVersion)[0];
  return group.endsWith("keda.sh") || group.startsWith("gateway.networking");
};

const schemaErrors = (Model, obj) => {
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    const details = Array.isArray(e?.errors) ? e.errors.map((x) => `${x.instancePath || "/"} ${x.message}`) : [];
    return details.length > 0 ? details : [String(e?.message ?? e)];
  }
};

// Every property path of an object (through arrays by index), apiVersion and kind aside.
const fieldPaths = (value, prefix = []) => {
  if (Array.isArray(value)) return value.flatMap((item, i) => fieldPaths(item, [...prefix, i]));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value)
    .filter(([key]) => prefix.length > 0 || (key !== "apiVersion" && key !== "kind"))
    .flatMap(([key, child]) => [[...prefix, key], ...fieldPaths(child, [...prefix, key])]);
};

const withValueAt = (obj, path, replacement) => {
  const copy = structuredClone(obj);
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  parent[path[path.length - 1]] = replacement;
  return copy;
};

const command = process.argv[2];
const input = await readStdin();
if (command === "validate") {
  const objects = JSON.parse(input);
  const results = [];
  const crds = crdModels(objects);
  for (let i = 0; i < objects.length; i++) results.push(await validateOne(objects[i], i, crds));
  process.stdout.write(JSON.stringify(results));
} else {
  console.error("usage: node manifests.mjs validate < objects.json");
  process.exit(2);
}
