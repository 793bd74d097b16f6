import { TerraformStack, type TerraformResource } from 'cdktf';

/**
 * The resources whose address changed, each with the address it had. `moved` blocks are written
 * only for an old address exactly one resource of its stack had: two resources that shared one
 * could not both have been deployed under it (the old layout refused or crashed on them), and
 * Terraform rejects two moves from one address.
 */
export class Moves {
  private readonly byStack = new Map<TerraformStack, { resource: TerraformResource; from: string }[]>();

  record(resource: TerraformResource, legacyId: string): void {
    // An old id that was no Terraform name (a leading digit) was never deployed: nothing moves.
    if (legacyId === resource.node.id || !/^[A-Za-z_]/.test(legacyId)) return;
    const stack = TerraformStack.of(resource);
    const list = this.byStack.get(stack) ?? [];
    list.push({ resource, from: `${resource.terraformResourceType}.${legacyId}` });
    this.byStack.set(stack, list);
  }

  /** Writes the moves; called once, after every resource exists. */
  write(): void {
    for (const list of this.byStack.values()) {
      const count = new Map<string, number>();
      for (const m of list) count.set(m.from, (count.get(m.from) ?? 0) + 1);
      for (const m of list) if (count.get(m.from) === 1) m.resource.moveFromId(m.from);
    }
  }
}
