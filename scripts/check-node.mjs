// Fails loudly when a script runs on a Node other than the one the repository pins.
// `npm run` puts node_modules/.bin first on PATH, where the `node` devDependency provides Node 24.
const required = 24;
const major = Number(process.versions.node.split('.')[0]);
if (major !== required) {
  process.stderr.write(
    `agentops-marketplace: scripts need Node ${required}, but this is Node ${process.versions.node} (${process.execPath}).\n` +
      'Run `npm install` first: it installs the pinned Node as a devDependency, and `npm run <script>` then uses it.\n',
  );
  process.exitCode = 1;
}
