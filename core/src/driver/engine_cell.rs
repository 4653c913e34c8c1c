//! [`EngineCell`]: a `LocalDriver`'s engine behind a borrow flag that also records whether the
//! driver has been run yet.

use super::engine::Engine;
use core::cell::{Cell, UnsafeCell};
use core::ops::{Deref, DerefMut};

/// Flag bit: an [`EngineRef`] is live.
const BORROWED: u8 = 1;
/// Flag bit: the driver has never been run (its futures are being awaited by some other
/// executor, or not awaited yet).
const UNDRIVEN: u8 = 2;

/// A `RefCell<Engine>` whose flag has one more bit: the driver was never run.
///
/// [`try_borrow_mut`](Self::try_borrow_mut) fails while either bit is set, so the result
/// polls of an undriven driver's futures take their (cold) busy branch, where the driver
/// submits and reaps for them; [`borrow_unless_busy`](Self::borrow_unless_busy) succeeds while
/// undriven. Both cost what a `RefCell` borrow costs: knowing whether anyone runs the driver
/// adds nothing to the path of a driver that runs.
#[derive(Debug)]
pub(crate) struct EngineCell {
    flag: Cell<u8>,
    engine: UnsafeCell<Engine>,
}

/// A mutable borrow of the engine; its drop clears the borrow bit.
pub(crate) struct EngineRef<'a> {
    cell: &'a EngineCell,
}

impl EngineCell {
    /// A cell whose driver has not been run yet.
    pub(crate) fn new(mut engine: Engine) -> EngineCell {
        engine.set_undriven(true);
        EngineCell {
            flag: Cell::new(UNDRIVEN),
            engine: UnsafeCell::new(engine),
        }
    }

    /// The engine, unless it is borrowed or the driver has never been run.
    #[inline]
    pub(crate) fn try_borrow_mut(&self) -> Option<EngineRef<'_>> {
        if self.flag.get() != 0 {
            return None;
        }
        self.flag.set(BORROWED);
        Some(EngineRef { cell: self })
    }

    /// The engine, unless it is borrowed.
    #[inline]
    pub(crate) fn borrow_unless_busy(&self) -> Option<EngineRef<'_>> {
        let flag = self.flag.get();
        if flag & BORROWED != 0 {
            return None;
        }
        self.flag.set(flag | BORROWED);
        Some(EngineRef { cell: self })
    }

    /// Records that the driver runs: its own loop submits and reaps from now on. No effect
    /// while the engine is borrowed (the run then fails with `EBUSY` anyway).
    #[inline]
    pub(crate) fn set_driven(&self) {
        if self.flag.get() == UNDRIVEN {
            self.set_driven_slow();
        }
    }

    #[cold]
    fn set_driven_slow(&self) {
        if let Some(mut engine) = self.borrow_unless_busy() {
            engine.set_undriven(false);
            drop(engine);
            self.flag.set(0);
        }
    }

    /// Reads the engine, or `None` while it is borrowed.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&Engine) -> R) -> Option<R> {
        let engine = self.borrow_unless_busy()?;
        Some(f(&engine))
    }

    /// The engine, through exclusive access to the cell.
    pub(crate) fn get_mut(&mut self) -> &mut Engine {
        self.engine.get_mut()
    }
}

impl Deref for EngineRef<'_> {
    type Target = Engine;

    #[inline]
    fn deref(&self) -> &Engine {
        // SAFETY: this guard is the only live borrow: the borrow bit was clear when it was
        // made and stays set until it drops; the cell is not Sync.
        unsafe { &*self.cell.engine.get() }
    }
}

impl DerefMut for EngineRef<'_> {
    #[inline]
    fn deref_mut(&mut self) -> &mut Engine {
        // SAFETY: as in `deref`; `&mut self` makes this the only reference made through it.
        unsafe { &mut *self.cell.engine.get() }
    }
}

impl Drop for EngineRef<'_> {
    #[inline]
    fn drop(&mut self) {
        self.cell.flag.set(self.cell.flag.get() & !BORROWED);
    }
}
