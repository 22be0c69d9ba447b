// cdk-nag's AwsSolutions and Serverless rule packs over a synthesized template, read back through
// CfnInclude: our stack is C# and cdk-nag runs on the JavaScript CDK. Suppressions are the template's own: each
// resource's Metadata.cdk_nag.rules_to_suppress ([{id, reason}], written by constructs/Nag.cs), acknowledged here with
// their reasons; one without a reason is itself a finding.
//
//   fn nag [TEMPLATE] (the tool writes this script to .fn/, where node resolves the app's aws-cdk-lib and cdk-nag)
// Prints one line per unsuppressed finding, then "N findings (M suppressed)"; exits 1 when N > 0.
import { readFileSync } from 'node:fs'
import { App, Stack, Validations } from 'aws-cdk-lib'
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include'
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag'

const [templateFile] = process.argv.slice(2)
if (!templateFile) {
  console.error('usage: node cdk-nag-check.mjs <template.json>')
  process.exit(2)
}
let template
try {
  template = JSON.parse(readFileSync(templateFile, 'utf8'))
} catch (error) {
  console.error(`${templateFile} is not a readable JSON template: ${error.message}`)
  process.exit(1)
}

const app = new App()
const stack = new Stack(app, 'Checked')
const included = new CfnInclude(stack, 'Template', { templateFile })
const findings = []
let suppressed = 0
for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
  for (const rule of resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) {
    if (!rule.reason || rule.reason.trim().length < 20) {
      findings.push(`${rule.id} on ${logicalId}: suppressed without a reason a reviewer could accept`)
      continue
    }
    Validations.of(included.getResource(logicalId)).acknowledge({ id: rule.id, reason: rule.reason })
    suppressed++
  }
}
for (const pack of [new AwsSolutionsChecks(app), new ServerlessChecks(app)]) {
  for (const violation of pack.validateScope(app).violations) {
    for (const resource of violation.violatingResources) {
      findings.push(`${violation.ruleName} on ${resource.constructPath.replace('Checked/Template/', '')}: ${violation.description}`)
    }
  }
}
for (const finding of findings) console.log(finding)
console.log(`${findings.length} findings (${suppressed} suppressed with reasons)`)
process.exit(findings.length === 0 ? 0 : 1)
