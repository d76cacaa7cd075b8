// Validates the deployment files offline, as an API server with strict field validation would:
//   node validate.mjs <flinkdeployments CRD yaml> <k8s dir>
// Core kinds (Deployment, Service, ConfigMap, Secret) with kubernetes-models' schemas (Kubernetes 1.27),
// FlinkDeployment with the CRD's openAPIV3Schema from flink-kubernetes-operator-api, made strict:
// unknown fields are errors (a typo such as spec.job.paralelism fails), int-or-string is understood,
// and the flinkVersion enum is extended with the Flink 2.x values this release of the CRD predates.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import Ajv from 'ajv';

const [crdFile, dir] = process.argv.slice(2);
const EXTRA_FLINK_VERSIONS = (process.env.DTLAB_EXTRA_FLINK_VERSIONS ?? 'v2_0,v2_1,v2_2').split(',');

function strict(schema) {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'x-kubernetes-int-or-string') continue;
    if (key.startsWith('x-kubernetes-')) continue;
    out[key] = strict(value);
  }
  if (schema['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (out.properties && out.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

function flinkDeploymentValidator() {
  const crd = YAML.parse(fs.readFileSync(crdFile, 'utf8'));
  const version = crd.spec.versions.find((v) => v.name === 'v1beta1');
  const schema = strict(version.schema.openAPIV3Schema);
  schema.properties.apiVersion = { const: 'flink.apache.org/v1beta1' };
  schema.properties.kind = { const: 'FlinkDeployment' };
  schema.properties.metadata = { type: 'object' };
  schema.required = ['apiVersion', 'kind', 'metadata', 'spec'];
  const flinkVersion = schema.properties.spec.properties.flinkVersion;
  flinkVersion.enum = [...flinkVersion.enum, ...EXTRA_FLINK_VERSIONS];
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

const CORE = {
  'apps/v1/Deployment': ['kubernetes-models/apps/v1', 'Deployment'],
  'v1/Service': ['kubernetes-models/v1', 'Service'],
  'v1/ConfigMap': ['kubernetes-models/v1', 'ConfigMap'],
  'v1/Secret': ['kubernetes-models/v1', 'Secret'],
};

const validateFlinkDeployment = flinkDeploymentValidator();
let documents = 0;
const errors = [];
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  for (const doc of YAML.parseAllDocuments(text)) {
    if (doc.errors.length) { errors.push(`${file}: ${doc.errors[0].message}`); continue; }
    const obj = doc.toJS();
    if (!obj) continue;
    documents++;
    const id = `${file}: ${obj.kind}/${obj.metadata?.name ?? '?'}`;
    if (obj.kind === 'FlinkDeployment') {
      if (!validateFlinkDeployment(obj)) {
        for (const e of validateFlinkDeployment.errors) {
          errors.push(`${id}: ${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ''}${e.params?.allowedValues ? ` ${JSON.stringify(e.params.allowedValues)}` : ''}`);
        }
      }
    } else if (obj.kind === 'Kustomization') {
      for (const resource of obj.resources ?? []) {
        if (!fs.existsSync(path.join(dir, resource))) errors.push(`${id}: resource ${resource} does not exist`);
      }
    } else {
      const model = CORE[`${obj.apiVersion}/${obj.kind}`];
      if (!model) { errors.push(`${id}: no schema for ${obj.apiVersion} ${obj.kind}`); continue; }
      const Kind = (await import(model[0]))[model[1]];
      try {
        new Kind(obj).validate();
      } catch (e) {
        errors.push(`${id}: ${e.message.split('\n').slice(0, 3).join(' ')}`);
      }
    }
  }
}
if (errors.length) {
  console.error(errors.join('\n'));
  process.exit(1);
}
console.log(`k8s: ${documents} documents valid`);
