import type { NodeTypes } from '@xyflow/svelte';
import TouchpointNode from './TouchpointNode.svelte';

/** Every custom node of the journey canvas, registered once. */
export const nodeTypes: NodeTypes = { touchpoint: TouchpointNode };
