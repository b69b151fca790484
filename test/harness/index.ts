// The local runner: runs Pulumi programs with the real SDK and dynamic-provider host, no Pulumi CLI.

export type { CheckResponse, DiffResponse, StartHostOptions } from "./dynamicProviderHost";
export { DynamicProviderHost, ProviderCallError } from "./dynamicProviderHost";
export { formatSummary } from "./formatSummary";
export type { LocalRunOptions } from "./localRun";
export { runLocal } from "./localRun";
export type { RunProgramOptions, RunProgramResult } from "./runProgram";
export { packageRoot, runProgram } from "./runProgram";
export type { Command, Operation, ResourceStep, RunError, RunSummary } from "./runSummary";
export type { ResourceState, StackState } from "./stackState";
