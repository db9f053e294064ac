// Validates rendered Kubernetes manifests (the output of `kustomize build`) against the Kubernetes OpenAPI schemas,
// offline, in two passes:
//  1. schema: each object goes through its kubernetes-models class's validate(), JSON-schema validation generated
//     from the Kubernetes OpenAPI document (types, formats, enums, required fields); KEDA's ScaledObject through
//     @kubernetes-models/keda, generated from KEDA's CRD;
//  2. strict: those schemas let unknown fields through (the API server would drop them, or reject them with strict
//     field validation), so each object is also type-checked by TypeScript as a literal of the model's generated
//     interface, which refuses any field the schema does not know ("readinesProbe").
// Every object must have a model: an unknown apiVersion/kind is an error, not a skip.
//
// Usage: node validate.mjs rendered.yaml...   Exit status 0 when every object of every file is valid.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));

function modulePath(apiVersion, kind) {
  if (apiVersion === "keda.sh/v1alpha1") {
    return `@kubernetes-models/keda/keda.sh/v1alpha1/${kind}`;
  }
  // core group objects are "v1"; others "group/version"
  return `kubernetes-models/${apiVersion}/${kind}`;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs rendered.yaml...");
  process.exit(2);
}

const problems = [];
const checked = [];
let objects = 0;
const strictDir = join(here, ".strict");
rmSync(strictDir, { recursive: true, force: true });
mkdirSync(strictDir, { recursive: true });

for (const file of files) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  let count = 0;
  for (const [index, doc] of docs.entries()) {
    if (doc.errors.length > 0) {
      problems.push(`${file} document ${index}: not YAML: ${doc.errors[0].message}`);
      continue;
    }
    const object = doc.toJS();
    if (object === null) {
      continue;
    }
    const { apiVersion, kind } = object;
    const name = `${kind}/${object.metadata?.name}`;
    const where = `${basename(file)} ${name}`;
    if (!apiVersion || !kind) {
      problems.push(`${file} document ${index}: no apiVersion or kind`);
      continue;
    }
    const module = modulePath(apiVersion, kind);
    let model;
    try {
      model = (await import(module))[kind];
    } catch (e) {
      problems.push(`${where}: no schema for ${apiVersion} ${kind} (${module})`);
      continue;
    }
    try {
      new model(object).validate();
    } catch (e) {
      problems.push(`${where}: ${e.message}`);
    }
    const source = `// ${where}\nimport type { I${kind} as Model } from "${module}";\n`
      + `export const object: Model = ${JSON.stringify(object, null, 2)};\n`;
    const tsFile = join(strictDir, `${basename(file, ".yaml")}--${kind}-${object.metadata?.name}.ts`);
    writeFileSync(tsFile, source);
    checked.push(tsFile);
    count++;
    objects++;
  }
  if (count === 0) {
    problems.push(`${file}: no Kubernetes objects`);
  }
  console.log(`${file}: ${count} objects`);
}

if (checked.length > 0) {
  const tsc = spawnSync(process.execPath, [join(here, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "--strict",
    "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", ...checked],
  { cwd: here, encoding: "utf8" });
  if (tsc.status !== 0) {
    const output = `${tsc.stdout}${tsc.stderr}`.trim();
    problems.push(`fields unknown to the schemas (TypeScript):\n${output.replaceAll(strictDir + "/", "")}`);
  }
}

if (problems.length > 0) {
  console.error(`INVALID: ${problems.length} problem(s)`);
  for (const problem of problems) {
    console.error(`- ${problem}`);
  }
  process.exit(1);
}
console.log(`valid: ${objects} objects in ${files.length} files (schema and strict field check)`);
