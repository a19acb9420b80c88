import { describe, it, expect } from 'vitest'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { EXIT_BAD_INPUT, EXIT_ENVIRONMENT } from '../../../harness/cli/exit-codes.js'
import { runCli, tempDir } from './cli-kit.js'

interface BadRun {
  argv: string[]
  flag: string
  problem: RegExp
}

/** `run` flag mistakes: each must be rejected before anything runs, naming the flag and what is wrong. */
const BAD_RUNS: BadRun[] = [
  { argv: ['--replicas', 'two'], flag: '--replicas', problem: /whole number.*"two"/ },
  { argv: ['--wait-point', 'before_sync'], flag: '--wait-point', problem: /after_sync, after_commit.*"before_sync"/ },
  { argv: ['--nemesis', 'kill-primary,bogus'], flag: '--nemesis', problem: /expected one of .*kill-primary.*"bogus"/ },
  {
    argv: ['--replicas', '2', '--semi-sync-replicas', '3'],
    flag: '--semi-sync-replicas',
    problem: /3 is more than --replicas 2/,
  },
  { argv: ['--wait-for-slave-count', '2'], flag: '--wait-for-slave-count', problem: /MariaDB has no .*--flavor mysql/ },
  { argv: ['--flavor', 'mysql', '--rejoin', 'truncate'], flag: '--rejoin', problem: /'truncate' needs MariaDB/ },
  { argv: ['--rate', '-5'], flag: '--rate', problem: /too small/i },
  { argv: ['--time-limit', '0'], flag: '--time-limit', problem: /too small/i },
  { argv: ['--semi-sync', 'maybe'], flag: '--semi-sync', problem: /on or off.*"maybe"/ },
  { argv: ['--bogus-flag'], flag: '--bogus-flag', problem: /unknown option/ },
  {
    argv: ['--db', 'mariadb', '--network', 'io-thread', '--nemesis', 'latency'],
    flag: '--nemesis',
    problem: /latency need network faults: use --network proxy/,
  },
  { argv: ['--network', 'wires'], flag: '--network', problem: /proxy, io-thread.*"wires"/ },
  {
    argv: ['--db', 'mariadb', '--nemesis', 'kill-primary,slow-applier'],
    flag: '--nemesis',
    problem: /slow-applier needs the built-in engine \(--db sim\)/,
  },
  { argv: ['--nemesis-schedule', 'chaotic'], flag: '--nemesis-schedule', problem: /cyclic, random.*"chaotic"/ },
  {
    argv: ['--db', 'mariadb', '--flavor', 'mysql', '--rejoin', 'as-is'],
    flag: '--flavor',
    problem: /runs MariaDB servers/,
  },
  { argv: ['--db', 'mysql', '--flavor', 'mariadb'], flag: '--flavor', problem: /--db mysql runs MySQL servers/ },
  { argv: ['--db', 'mysql', '--rejoin', 'truncate'], flag: '--rejoin', problem: /MySQL always commits on recovery/ },
  { argv: ['--rejoin', 'clone'], flag: '--rejoin', problem: /'clone' re-provisions .* only --db mysql has/ },
  { argv: ['--db', 'mariadb', '--rejoin', 'clone'], flag: '--rejoin', problem: /only --db mysql has/ },
  {
    argv: ['--db', 'mysql', '--network', 'io-thread', '--nemesis', 'isolate-primary'],
    flag: '--nemesis',
    problem: /need network faults: use --network proxy/,
  },
  { argv: ['--image', 'mysql:8.4'], flag: '--image', problem: /containers run real servers: use it with --db mariadb/ },
  {
    argv: ['--db', 'mysql', '--image', 'mysql:8.4', '--keep-data'],
    flag: '--keep-data',
    problem: /lives in its container, which is always removed/,
  },
  {
    argv: ['--db', 'mariadb', '--image', 'official', '--mariadbd', '/usr/sbin/mariadbd'],
    flag: '--image',
    problem: /the servers come from the image; --mariadbd names a local binary/,
  },
  {
    argv: ['--db', 'mysql', '--image', 'my image!'],
    flag: '--image',
    problem: /an image reference such as mysql:8\.4/,
  },
  { argv: ['--config', '/nonexistent.json'], flag: '--config', problem: /cannot read \/nonexistent\.json.*ENOENT/ },
  // A name is one safe folder name under the store, and not one the store reserves.
  ...['..', '.', 'latest', '.live', '../escape', 'a/b'].map((name) => ({
    argv: ['--name', name],
    flag: '--name',
    problem: /letters, digits|not "latest" and not starting with a dot/,
  })),
]

describe('semisync-chaos run: bad input', () => {
  for (const { argv, flag, problem } of BAD_RUNS) {
    it(`run ${argv.join(' ')} → 254 naming ${flag}, and writes no run folder`, async () => {
      const resultsDir = join(tempDir(), 'results')
      const result = await runCli(['run', ...argv, '--results-dir', resultsDir])
      expect(result.code).toBe(EXIT_BAD_INPUT)
      expect(result.stderr).toContain(flag)
      expect(result.stderr).toMatch(problem)
      // A rejected input never reaches the runner: no verdict on stdout, nothing under --results-dir.
      expect(result.stdout).toBe('')
      expect(existsSync(resultsDir)).toBe(false)
    })
  }

  it('run --results-dir <a path with a newline> → 254 naming --results-dir, writing nothing', async () => {
    const parent = tempDir()
    const result = await runCli(['run', '--results-dir', join(parent, 'store\nlog-error=x')])
    expect(result.code).toBe(EXIT_BAD_INPUT)
    expect(result.stderr).toMatch(/--results-dir: no control characters/)
    expect(readdirSync(parent)).toEqual([])
  })

  it('run --config <file that is not JSON> → 254 naming --config and the JSON problem', async () => {
    const dir = tempDir()
    const bad = join(dir, 'test.json')
    writeFileSync(bad, '{"name": "x", seed: 7')
    const resultsDir = join(dir, 'results')
    const result = await runCli(['run', '--config', bad, '--results-dir', resultsDir])
    expect(result.code).toBe(EXIT_BAD_INPUT)
    expect(result.stderr).toContain('--config')
    expect(result.stderr).toContain(bad)
    expect(result.stderr).toMatch(/not valid JSON/)
    expect(existsSync(resultsDir)).toBe(false)
  })

  it('run --config <test.json with an out-of-range field> → 254 naming that field’s flag', async () => {
    const dir = tempDir()
    const cfg = join(dir, 'test.json')
    writeFileSync(cfg, JSON.stringify({ replicas: 0 }))
    const result = await runCli(['run', '--config', cfg, '--results-dir', join(dir, 'results')])
    expect(result.code).toBe(EXIT_BAD_INPUT)
    expect(result.stderr).toContain('--replicas')
    expect(existsSync(join(dir, 'results'))).toBe(false)
  })

  it('run --config <file holding JSON null> → 254 naming --config', async () => {
    const dir = tempDir()
    const cfg = join(dir, 'test.json')
    writeFileSync(cfg, 'null')
    const result = await runCli(['run', '--config', cfg, '--results-dir', join(dir, 'results')])
    expect(result.code).toBe(EXIT_BAD_INPUT)
    expect(result.stderr).toContain('--config')
    expect(existsSync(join(dir, 'results'))).toBe(false)
  })

  it('run --config <file holding JSON null> says it must be a JSON object', async () => {
    const dir = tempDir()
    const cfg = join(dir, 'test.json')
    writeFileSync(cfg, 'null')
    const result = await runCli(['run', '--config', cfg, '--results-dir', join(dir, 'results')])
    expect(result.stderr).not.toMatch(/not valid JSON/)
    expect(result.stderr).toMatch(/object/)
  })

  it('run --results-dir <a regular file> → 254 naming --results-dir', async () => {
    const dir = tempDir()
    const file = join(dir, 'not-a-dir')
    writeFileSync(file, 'x')
    const result = await runCli(['run', '--time-limit', '1', '--seed', '1', '--results-dir', file])
    expect(result.code).toBe(EXIT_BAD_INPUT)
    expect(result.stderr).toContain('--results-dir')
    expect(result.stderr).not.toMatch(/internal error/)
  })

  it('a good flag next to a bad one still writes nothing', async () => {
    const dir = tempDir()
    const result = await runCli(['run', '--time-limit', '1', '--seed', '3', '--replicas', '-1', '--results-dir', dir])
    expect(result.code).toBe(EXIT_BAD_INPUT)
    expect(result.stderr).toContain('--replicas')
    expect(readdirSync(dir)).toEqual([])
  })
})

describe('semisync-chaos check: bad input', () => {
  it('check /no/such/path → 254 naming the path', async () => {
    const result = await runCli(['check', '/no/such/path'])
    expect(result.code).toBe(EXIT_BAD_INPUT)
    expect(result.stderr).toMatch(/no such file or directory: \/no\/such\/path/)
    expect(result.stdout).toBe('')
  })

  it('check <dir without history.jsonl> → 254 saying so', async () => {
    const dir = tempDir()
    const result = await runCli(['check', dir])
    expect(result.code).toBe(EXIT_BAD_INPUT)
    expect(result.stderr).toContain(dir)
    expect(result.stderr).toMatch(/has no history\.jsonl/)
  })

  it('check <history.jsonl with a malformed line 3> → 254 naming line 3', async () => {
    const dir = tempDir()
    const file = join(dir, 'history.jsonl')
    const lines = [
      '{"index":0,"time":10,"process":0,"type":"invoke","f":"add","value":1}',
      '{"index":1,"time":20,"process":0,"type":"ok","f":"add","value":1}',
      '{"index":2,"time":30,"process":0,"type":"invoke","f":"add","value":',
      '{"index":3,"time":40,"process":0,"type":"ok","f":"add","value":2}',
    ]
    writeFileSync(file, `${lines.join('\n')}\n`)
    const result = await runCli(['check', file])
    expect(result.code).toBe(EXIT_BAD_INPUT)
    expect(result.stderr).toContain(file)
    expect(result.stderr).toMatch(/line 3: not valid JSON/)
    expect(result.stderr).not.toMatch(/line [124]\b/)
  })

  it('check <run-dir with a corrupt test.json> → 254 naming test.json', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'history.jsonl'), '{"index":0,"time":1,"process":0,"type":"invoke","f":"add","value":1}\n')
    writeFileSync(join(dir, 'test.json'), '{oops')
    const result = await runCli(['check', dir, '--json'])
    expect(result.code).toBe(EXIT_BAD_INPUT)
    expect(result.stderr).toContain('test.json')
    expect(result.stderr).not.toMatch(/internal error/)
  })

  it('check <history.jsonl breaking the process discipline on line 3> → 254 naming line 3', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'run'))
    const lines = [
      '{"index":0,"time":10,"process":0,"type":"invoke","f":"add","value":1}',
      '{"index":1,"time":20,"process":0,"type":"info","f":"add","value":1}',
      '{"index":2,"time":30,"process":0,"type":"invoke","f":"add","value":2}',
    ]
    writeFileSync(join(dir, 'run', 'history.jsonl'), `${lines.join('\n')}\n`)
    const result = await runCli(['check', join(dir, 'run')])
    expect(result.code).toBe(EXIT_BAD_INPUT)
    expect(result.stderr).toMatch(/line 3: process 0 is used again/)
  })
})

describe('semisync-chaos matrix: bad input', () => {
  it('matrix --scenario nope → 254 naming --scenario and the known names', async () => {
    const resultsDir = join(tempDir(), 'results')
    const result = await runCli(['matrix', '--scenario', 'nope', '--results-dir', resultsDir])
    expect(result.code).toBe(EXIT_BAD_INPUT)
    expect(result.stderr).toContain('--scenario')
    expect(result.stderr).toMatch(/no scenario named "nope"/)
    expect(result.stderr).toContain('kill-primary')
    expect(existsSync(resultsDir)).toBe(false)
  })

  it('matrix --seeds 0 → 254 naming --seeds', async () => {
    const resultsDir = join(tempDir(), 'results')
    const result = await runCli(['matrix', '--seeds', '0', '--results-dir', resultsDir])
    expect(result.code).toBe(EXIT_BAD_INPUT)
    expect(result.stderr).toContain('--seeds')
    expect(result.stderr).toMatch(/expected 1 to 1000, got 0/)
    expect(existsSync(resultsDir)).toBe(false)
  })

  it('matrix --first-seed -1 → 254, running nothing', async () => {
    const resultsDir = join(tempDir(), 'results')
    const argv = ['matrix', '--first-seed', '-1', '--seeds', '1', '--scenario', 'kill-primary']
    const result = await runCli([...argv, '--results-dir', resultsDir])
    expect(result.code).toBe(EXIT_BAD_INPUT)
    expect(existsSync(resultsDir)).toBe(false)
  })

  it('matrix --first-seed -1 names --first-seed', async () => {
    const result = await runCli(['matrix', '--first-seed', '-1', '--seeds', '1', '--scenario', 'kill-primary'])
    expect(result.stderr).toContain('--first-seed')
  })

  for (const { db, program, howToGetIt } of [
    { db: 'mariadb', program: 'mariadbd', howToGetIt: /apt-get install -y mariadb-server/ },
    { db: 'mysql', program: 'mysqld', howToGetIt: /setup\/install-mysql\.sh/ },
  ]) {
    it(`matrix --db ${db} with a missing ${program} → 253 saying how to get it, before any row runs`, async () => {
      const resultsDir = join(tempDir(), 'results')
      const missing = `/nonexistent/${program}`
      const result = await runCli(['matrix', '--db', db, `--${program}`, missing, '--results-dir', resultsDir])
      expect(result.code).toBe(EXIT_ENVIRONMENT)
      expect(result.stderr).toContain(`${program} at ${missing} not found`)
      expect(result.stderr).toMatch(howToGetIt)
      expect(existsSync(resultsDir)).toBe(false)
    })
  }

  it("run --db mysql --mysqld <MariaDB's mysqld> → 253: that is MariaDB, not Oracle MySQL", async () => {
    const fakeDir = tempDir()
    const fake = join(fakeDir, 'mysqld')
    // A stand-in that answers --version as Debian's /usr/sbin/mysqld (a link to mariadbd) does.
    writeFileSync(fake, '#!/bin/sh\necho "mysqld  Ver 10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64"\n', {
      mode: 0o755,
    })
    const resultsDir = join(tempDir(), 'results')
    const result = await runCli(['run', '--db', 'mysql', '--mysqld', fake, '--results-dir', resultsDir])
    expect(result.code).toBe(EXIT_ENVIRONMENT)
    expect(result.stderr).toMatch(/is MariaDB .*not Oracle MySQL/)
    expect(existsSync(resultsDir)).toBe(false)
  })

  it('run --db mariadb with a missing mariadbd → 253, and writes no run folder', async () => {
    const resultsDir = join(tempDir(), 'results')
    const result = await runCli([
      'run',
      '--db',
      'mariadb',
      '--mariadbd',
      '/nonexistent/mariadbd',
      '--results-dir',
      resultsDir,
    ])
    expect(result.code).toBe(EXIT_ENVIRONMENT)
    expect(result.stderr).toMatch(/not found/)
    expect(existsSync(resultsDir)).toBe(false)
  })
})
