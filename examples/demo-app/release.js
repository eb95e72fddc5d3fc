// The release phase: a harmless "migration". Set the config var FAIL_RELEASE=1 to see a release
// phase fail: the deploy stops and the running release keeps serving.
const steps = ['Checking schema version', 'Applying migration 001_create_greetings', 'Schema is up to date'];
for (const step of steps) console.log(step);

if (process.env.FAIL_RELEASE === '1') {
  console.error('Migration failed: FAIL_RELEASE=1 is set');
  process.exit(1);
}
