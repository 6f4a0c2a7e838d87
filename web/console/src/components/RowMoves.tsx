// The buttons every editable list of rows has (specs, request form fields, faults): move the
// row up or down, remove it. The labels name the row, so a screen reader knows which one.
import { ActionIcon, Button, Group } from '@mantine/core';

interface RowMovesProps {
  index: number;
  count: number;
  labels: { up: string; down: string; remove: string };
  onMove: (from: number, to: number) => void;
  onRemove: (index: number) => void;
  disabled?: boolean;
}

export function RowMoves({ index, count, labels, onMove, onRemove, disabled = false }: RowMovesProps) {
  return (
    <Group gap="xs" mt="xs" justify="flex-end">
      <ActionIcon
        variant="default"
        aria-label={labels.up}
        disabled={disabled || index === 0}
        onClick={() => {
          onMove(index, index - 1);
        }}
      >
        ↑
      </ActionIcon>
      <ActionIcon
        variant="default"
        aria-label={labels.down}
        disabled={disabled || index === count - 1}
        onClick={() => {
          onMove(index, index + 1);
        }}
      >
        ↓
      </ActionIcon>
      <Button
        variant="default"
        size="xs"
        color="red"
        onClick={() => {
          onRemove(index);
        }}
      >
        {labels.remove}
      </Button>
    </Group>
  );
}
