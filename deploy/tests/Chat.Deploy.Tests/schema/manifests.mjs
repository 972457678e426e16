// Offline schema validation for the deploy tests, driven from C# over stdin/stdout (JSON in, JSON out).
//   node manifests.mjs to-json   < any.yaml       -> JSON array of the YAML documents (empty documents dropped)
//   node manifests.mjs validate  < objects.json   -> JSON array of { index, id, errors[] }, one per object
// Built-in kinds are checked against kubernetes-models (the Kubernetes OpenAPI schemas: required fields, types,
// enums, formats); KEDA kinds against @kubernetes-models/keda (the KEDA CRD schemas). A kind without a schema is an error.
import { parseAllDocuments } from "yaml";

const readStdin = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
};

const modulePath = (apiVersion, kind) => {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group.endsWith("keda.sh")) return `@kubernetes-models/keda/${group}/${version}/${kind}`;
  return group === "" ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
};

const validateOne = async (obj, index) => {
  const id = `${obj?.apiVersion}/${obj?.kind} ${obj?.metadata?.namespace ?? ""}/${obj?.metadata?.name ?? ""}`;
  if (typeof obj?.apiVersion !== "string" || typeof obj?.kind !== "string") {
    return { index, id, errors: ["apiVersion and kind are required strings"] };
  }
  let Model;
  try {
    Model = (await import(modulePath(obj.apiVersion, obj.kind)))[obj.kind];
  } catch {
    Model = undefined;
  }
  if (typeof Model !== "function") {
    return { index, id, errors: [`no schema for ${obj.apiVersion} ${obj.kind}`] };
  }
  try {
    new Model(obj).validate();
    return { index, id, errors: [] };
  } catch (e) {
    const details = Array.isArray(e?.errors) ? e.errors.map((x) => `${x.instancePath || "/"} ${x.message}`) : [];
    return { index, id, errors: details.length > 0 ? details : [String(e?.message ?? e)] };
  }
};

const command = process.argv[2];
const input = await readStdin();
if (command === "to-json") {
  const docs = parseAllDocuments(input);
  const errors = docs.flatMap((d) => d.errors.map((e) => e.message));
  if (errors.length > 0) {
    console.error(errors.join("\n"));
    process.exit(1);
  }
  process.stdout.write(JSON.stringify(docs.map((d) => d.toJS()).filter((d) => d !== null && d !== undefined)));
} else if (command === "validate") {
  const objects = JSON.parse(input);
  const results = [];
  for (let i = 0; i < objects.length; i++) results.push(await validateOne(objects[i], i));
  process.stdout.write(JSON.stringify(results));
} else {
  console.error("usage: node manifests.mjs to-json|validate < input");
  process.exit(2);
}
