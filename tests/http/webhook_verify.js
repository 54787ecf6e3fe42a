// Verify every delivery a test receiver recorded with the Standard Webhooks
// reference library (npm standardwebhooks): prints "ok N" or the first
// failure. Usage: node webhook_verify.js SECRET_FILE LOG_FILE
const fs = require("fs");
const { Webhook } = require(process.env.STANDARDWEBHOOKS);
const [secretFile, logFile] = process.argv.slice(2);
const wh = new Webhook(fs.readFileSync(secretFile, "utf8").trim());
let n = 0;
for (const line of fs.readFileSync(logFile, "utf8").split("\n")) {
    if (!line) continue;
    const rec = JSON.parse(line);
    try {
        wh.verify(rec.body, rec.headers);
        n++;
    } catch (e) {
        console.log("bad " + rec.headers["webhook-id"] + ": " + e.message);
        process.exit(1);
    }
}
console.log("ok " + n);
