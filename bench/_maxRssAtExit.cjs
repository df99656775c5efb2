// Preloaded (NODE_OPTIONS --require) into a measured process by bench/_peakRss.ts: at exit it
// writes its peak RSS (getrusage's ru_maxrss, KB) to $PL_BENCH_MAXRSS_DIR/<pid>.
const fs = require('node:fs');
const path = require('node:path');
const dir = process.env.PL_BENCH_MAXRSS_DIR;
if (dir) {
  process.on('exit', () => {
    try {
      fs.writeFileSync(path.join(dir, String(process.pid)), String(process.resourceUsage().maxRSS));
    } catch {
      // the poll in _peakRss.ts still has a figure
    }
  });
}
