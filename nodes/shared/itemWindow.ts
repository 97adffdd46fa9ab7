/**
 * The items of a "Request Concurrency: Auto" run (`AdaptiveLimit` in concurrency.ts, which sets
 * `limit`): how many hold a place, the refused reads waiting out a Retry-After outside the window
 * (`stepOut`), and those whose wait is over, which take the next free place before new items.
 */
export class ItemWindow {
	/** Items holding a place in the window (started by the runner, not stepped out). */
	private itemsInWindow = 0;
	/** Refused reads waiting out their Retry-After outside the window. */
	private waiting = 0;
	/** Refused reads whose wait is over, queued for a place ahead of items not yet started. */
	private readonly returning: Array<() => void> = [];
	private roomListener: (() => void) | undefined;

	constructor(private readonly limit: () => number) {}

	/** Refused reads waiting outside the window now. */
	get waitingAlone(): number {
		return this.waiting;
	}

	/**
	 * For the runner: may another item start? Only with room in the window and no refused item
	 * waiting to come back (those go first).
	 */
	hasRoom(): boolean {
		return this.returning.length === 0 && this.itemsInWindow < this.limit();
	}

	enter(): void {
		this.itemsInWindow++;
	}

	leave(): void {
		this.itemsInWindow = Math.max(0, this.itemsInWindow - 1);
		this.admitReturning();
	}

	onRoom(listener: (() => void) | undefined): void {
		this.roomListener = listener;
	}

	stepOut(): void {
		this.waiting++;
		this.leave();
	}

	async stepBackIn(): Promise<void> {
		this.waiting = Math.max(0, this.waiting - 1);
		await new Promise<void>((resolve) => {
			this.returning.push(resolve);
			this.admitReturning();
		});
	}

	rejoinNow(): void {
		this.waiting = Math.max(0, this.waiting - 1);
		this.itemsInWindow++;
	}

	private admitReturning(): void {
		while (this.returning.length > 0 && this.itemsInWindow < this.limit()) {
			this.itemsInWindow++;
			this.returning.shift()?.();
		}
		if (this.returning.length === 0) this.roomListener?.();
	}
}
