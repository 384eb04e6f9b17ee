/**
 * The one scheduler every onnxruntime session of this realm runs through (Kokoro, the speaker
 * encoders, GE2E): one run at a time over the one onnxruntime instance and its one WASM thread
 * pool, interactive work before background work (see engine/scheduler/priority-scheduler.ts).
 * In the app that realm is the inference worker, the only one that opens sessions.
 */
import { PriorityScheduler } from '../../engine/scheduler/priority-scheduler';

export type { ScheduleOptions, TaskPriority } from '../../engine/scheduler/priority-scheduler';

export const sessionScheduler = new PriorityScheduler();
