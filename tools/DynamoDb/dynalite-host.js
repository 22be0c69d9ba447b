// dynalite for ./fn serve, bound to the process that started it (tools/DynamoDb/Dynalite.cs).
//
//   node dynalite-host.js <dynalite module dir> <port> [<data dir>]
//
// The parent keeps this process's stdin open and never writes to it. The kernel closes that pipe however the parent
// ends, kill -9 included, so end of input means nobody is left to use this server or to stop it: it exits, and the
// data dir's lock goes with it.
'use strict'

const [moduleDir, port, dataDir] = process.argv.slice(2)
const dynalite = require(moduleDir)

const server = dynalite(dataDir ? { path: dataDir } : {})
server.on('error', (error) => {
  console.error(`dynalite: ${error.code || ''} ${error.message}`)
  process.exit(1)
})
server.listen(Number(port), '127.0.0.1', () => console.log(`dynalite listening on 127.0.0.1:${port}`))

process.stdin.on('end', () => process.exit(0))
process.stdin.on('error', () => process.exit(0))
process.stdin.resume()
