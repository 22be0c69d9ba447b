// Drives ./fn serve's Invoke API with AWS's own SDK for JavaScript (v3), as a user's code would: the test
// (InvokeApiTests.cs) passes the endpoint and a list of calls, and reads back what the SDK made of each answer.
//
//   echo '[{"name":"Hello","type":"RequestResponse","logType":"Tail","payload":"{}"}]' | node invoke-with-sdk.mjs <endpoint>
//
// A call with "stream": true goes through InvokeWithResponseStream and reports its PayloadChunk and InvokeComplete events.
//
// The calls come on stdin: a payload near Lambda's 6 MB limit is too long for a command line.
import { LambdaClient, InvokeCommand, InvokeWithResponseStreamCommand } from '@aws-sdk/client-lambda'

const [endpoint] = process.argv.slice(2)
const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const callsJson = Buffer.concat(chunks).toString('utf8')
const client = new LambdaClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 1,
})

const results = []
for (const call of JSON.parse(callsJson)) {
  const input = { FunctionName: call.name, InvocationType: call.type, LogType: call.logType }
  if (call.payload !== undefined) input.Payload = new TextEncoder().encode(call.payload)
  if (call.clientContext !== undefined) input.ClientContext = Buffer.from(call.clientContext).toString('base64')
  try {
    if (call.stream) {
      // InvokeWithResponseStream: each event as the SDK decodes it, with when it arrived (ms after the call began).
      const started = Date.now()
      const out = await client.send(new InvokeWithResponseStreamCommand(input))
      const chunks = []
      let complete = null
      for await (const event of out.EventStream) {
        if (event.PayloadChunk) chunks.push({ at: Date.now() - started, text: new TextDecoder().decode(event.PayloadChunk.Payload) })
        if (event.InvokeComplete) {
          const { ErrorCode, ErrorDetails, LogResult } = event.InvokeComplete
          complete = { at: Date.now() - started, errorCode: ErrorCode ?? null, errorDetails: ErrorDetails ?? null, log: LogResult ? Buffer.from(LogResult, 'base64').toString('utf8') : null }
        }
      }
      results.push({ status: out.StatusCode, contentType: out.ResponseStreamContentType ?? null, version: out.ExecutedVersion ?? null, chunks, complete })
      continue
    }
    const out = await client.send(new InvokeCommand(input))
    results.push({
      status: out.StatusCode,
      functionError: out.FunctionError ?? null,
      version: out.ExecutedVersion ?? null,
      payload: out.Payload ? new TextDecoder().decode(out.Payload) : null,
      log: out.LogResult ? Buffer.from(out.LogResult, 'base64').toString('utf8') : null,
    })
  } catch (error) {
    results.push({ error: { name: error.name, status: error.$metadata?.httpStatusCode ?? null, message: error.message } })
  }
}
console.log(JSON.stringify(results))
