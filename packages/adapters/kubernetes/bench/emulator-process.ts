/**
 * The Kubernetes API emulator in its own process for scale.bench.ts, so the benchmark's process
 * holds only the pod manager and its informers (their CPU is then measured alone). Prints one
 * JSON line `{ kubeconfig }` when listening, then reads commands, one JSON line each, from stdin:
 * `{ seq, op: 'fail' | 'recover', namespace, name }` → injects the pod state change and answers
 * `{ seq, at }` with the injection time (epoch ms, sub-millisecond).
 */
import { createInterface } from 'node:readline';
import { startKubeEmulator } from '@volundr/testkit/kube/start-kube-emulator';

const namespace = process.argv[2] ?? 'volundr-sessions';
const emulator = await startKubeEmulator({ namespaces: [namespace] });
const kubelet = emulator.kubelet!;
const now = () => performance.timeOrigin + performance.now();
process.stdout.write(`${JSON.stringify({ kubeconfig: emulator.kubeconfig.yaml })}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as { seq: number; op: 'fail' | 'recover'; namespace: string; name: string };
  const at = now();
  if (command.op === 'fail')
    kubelet.failPod(command.namespace, command.name, { type: 'CrashLoopBackOff', container: 'skuld' });
  else kubelet.recoverPod(command.namespace, command.name);
  process.stdout.write(`${JSON.stringify({ seq: command.seq, at })}\n`);
}
await emulator.close();
