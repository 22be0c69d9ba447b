// ./fn tune --remote's hands on the Lambda API: AWS's SDK for JavaScript (the credential chain users expect: the
// environment, shared config and credentials files, profiles, SSO), driven by the tool over stdin and stdout.
// One JSON request per line in, one JSON answer per line out, answered as each completes, so a restore after Ctrl-C
// need not wait for an invocation still running.
//
//   node lambda-bridge.mjs '{"region":"us-east-1","profile":null,"endpoint":"http://127.0.0.1:3001"}'
//   < {"id":1,"op":"get","name":"Hello"}
//   > {"answer":1,"result":{"FunctionName":"Hello","MemorySize":256,...}}
import { createInterface } from 'node:readline'
import {
  LambdaClient,
  GetFunctionConfigurationCommand,
  UpdateFunctionConfigurationCommand,
  InvokeCommand,
  waitUntilFunctionUpdated,
} from '@aws-sdk/client-lambda'

// A terminal's Ctrl-C reaches the whole process group: the tool decides when this process ends (after it has put
// the function's configuration back), by closing stdin.
process.on('SIGINT', () => {})
process.on('SIGTERM', () => {})

const options = JSON.parse(process.argv[2] ?? '{}')
if (options.profile) process.env.AWS_PROFILE = options.profile
const client = new LambdaClient({
  ...(options.region ? { region: options.region } : {}),
  ...(options.endpoint ? { endpoint: options.endpoint } : {}),
})

function configuration (c) {
  return {
    FunctionName: c.FunctionName,
    FunctionArn: c.FunctionArn,
    MemorySize: c.MemorySize,
    Timeout: c.Timeout,
    Variables: c.Environment?.Variables ?? {},
    Architectures: c.Architectures ?? ['x86_64'],
    RevisionId: c.RevisionId ?? null,
    LastUpdateStatus: c.LastUpdateStatus ?? null,
    LastUpdateStatusReason: c.LastUpdateStatusReason ?? null,
  }
}

const operations = {
  async get ({ name }) {
    return configuration(await client.send(new GetFunctionConfigurationCommand({ FunctionName: name })))
  },
  async update ({ name, memorySize, variables }) {
    const input = { FunctionName: name }
    if (memorySize != null) input.MemorySize = memorySize
    if (variables != null) input.Environment = { Variables: variables }
    let updated = await client.send(new UpdateFunctionConfigurationCommand(input))
    if (updated.LastUpdateStatus !== 'Successful') {
      await waitUntilFunctionUpdated({ client, maxWaitTime: 300, minDelay: 1, maxDelay: 5 }, { FunctionName: name })
      updated = await client.send(new GetFunctionConfigurationCommand({ FunctionName: name }))
    }
    if (updated.LastUpdateStatus === 'Failed') {
      const error = new Error(`the update failed: ${updated.LastUpdateStatusReason ?? 'no reason given'}`)
      error.name = 'UpdateFailed'
      throw error
    }
    return configuration(updated)
  },
  async invoke ({ name, payload }) {
    const out = await client.send(new InvokeCommand({
      FunctionName: name,
      InvocationType: 'RequestResponse',
      LogType: 'Tail',
      Payload: new TextEncoder().encode(payload),
    }))
    return {
      status: out.StatusCode,
      functionError: out.FunctionError ?? null,
      payload: out.Payload ? new TextDecoder().decode(out.Payload) : '',
      log: out.LogResult ? Buffer.from(out.LogResult, 'base64').toString('utf8') : '',
    }
  },
}

const lines = createInterface({ input: process.stdin })
lines.on('line', async (line) => {
  let request
  try {
    request = JSON.parse(line)
  } catch {
    return
  }
  let answer
  try {
    const operation = operations[request.op]
    if (!operation) throw Object.assign(new Error(`unknown operation ${request.op}`), { name: 'UnknownOperation' })
    answer = { answer: request.id, result: await operation(request) }
  } catch (error) {
    answer = { answer: request.id, error: { name: error.name ?? 'Error', message: error.message ?? String(error), status: error.$metadata?.httpStatusCode ?? null } }
  }
  process.stdout.write(JSON.stringify(answer) + '\n')
})
lines.on('close', () => process.exit(0))
