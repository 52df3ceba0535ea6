//! The arc-hybrid transition system with the root at the end of the buffer, and its dynamic
//! oracle (Goldberg and Nivre 2013): the cost of a move is the number of gold arcs it makes
//! unreachable.
//!
//! Words are numbered `0..n`; the root is the extra buffer position `n`. `SHIFT` pushes the
//! front of the buffer, `LEFT` makes the front of the buffer the head of the stack top and
//! pops it, `RIGHT` makes the word under the stack top its head and pops it. The root takes a
//! dependent only when the stack holds one word, so every terminal state is a projective tree
//! with exactly one word under the root, whatever the model scores.

/// No word: an empty stack slot, a missing child, a word without a head yet.
pub(crate) const NONE: u32 = u32::MAX;

/// Push the front of the buffer onto the stack.
pub(crate) const SHIFT: usize = 0;
/// Attach the stack top to the front of the buffer and pop it.
pub(crate) const LEFT: usize = 1;
/// Attach the stack top to the word under it and pop it.
pub(crate) const RIGHT: usize = 2;
/// Number of moves.
pub(crate) const N_MOVES: usize = 3;
/// The names of the moves, in move order, as stored in the model.
pub(crate) const MOVE_NAMES: [&str; N_MOVES] = ["shift", "left", "right"];

/// A parser configuration with the partial tree built so far.
#[derive(Clone, Debug, Default)]
pub(crate) struct State {
    /// Number of words; position `n` is the root.
    pub(crate) n: u32,
    /// The stack, top last.
    pub(crate) stack: Vec<u32>,
    /// The front of the buffer: the buffer is `b0..=n`.
    pub(crate) b0: u32,
    /// Head of each position (`NONE` until attached), `n + 1` entries.
    pub(crate) heads: Vec<u32>,
    /// Label id of each attached word.
    pub(crate) labels: Vec<u16>,
    /// Leftmost child of each position.
    pub(crate) left1: Vec<u32>,
    /// Second leftmost child.
    pub(crate) left2: Vec<u32>,
    /// Rightmost child.
    pub(crate) right1: Vec<u32>,
    /// Second rightmost child.
    pub(crate) right2: Vec<u32>,
    /// Number of left children (saturating).
    pub(crate) n_left: Vec<u8>,
    /// Number of right children (saturating).
    pub(crate) n_right: Vec<u8>,
    /// The labels of the left children, one bit per label id (ids past 63 share bit 63).
    pub(crate) left_labels: Vec<u64>,
    /// The labels of the right children.
    pub(crate) right_labels: Vec<u64>,
}

impl State {
    /// The initial configuration for `n` words, reusing the buffers.
    pub(crate) fn reset(&mut self, n: u32) {
        let size = n as usize + 1;
        self.n = n;
        self.stack.clear();
        self.b0 = 0;
        for column in [&mut self.heads, &mut self.left1, &mut self.left2, &mut self.right1, &mut self.right2] {
            column.clear();
            column.resize(size, NONE);
        }
        self.labels.clear();
        self.labels.resize(size, 0);
        for column in [&mut self.n_left, &mut self.n_right] {
            column.clear();
            column.resize(size, 0);
        }
        for column in [&mut self.left_labels, &mut self.right_labels] {
            column.clear();
            column.resize(size, 0);
        }
    }

    /// True when every word is attached and nothing is left to do.
    pub(crate) fn is_terminal(&self) -> bool {
        self.b0 >= self.n && self.stack.is_empty()
    }

    /// The `depth`-th word from the top of the stack (0 = top), or `NONE`.
    pub(crate) fn stack_at(&self, depth: usize) -> u32 {
        if depth < self.stack.len() { self.stack[self.stack.len() - 1 - depth] } else { NONE }
    }

    /// The `offset`-th buffer position (0 = front; the root is the last), or `NONE`.
    pub(crate) fn buffer_at(&self, offset: u32) -> u32 {
        match self.b0.checked_add(offset) {
            Some(position) if position <= self.n => position,
            _ => NONE,
        }
    }

    /// Whether `mv` may be applied.
    pub(crate) fn is_valid(&self, mv: usize) -> bool {
        match mv {
            SHIFT => self.b0 < self.n,
            LEFT => !self.stack.is_empty() && (self.b0 < self.n || self.stack.len() == 1),
            RIGHT => self.stack.len() >= 2,
            _ => false,
        }
    }

    /// The dependent and head of the arc that `mv` adds (`NONE` for `SHIFT`).
    pub(crate) fn arc(&self, mv: usize) -> (u32, u32) {
        match mv {
            LEFT => (self.stack_at(0), self.b0),
            RIGHT => (self.stack_at(0), self.stack_at(1)),
            _ => (NONE, NONE),
        }
    }

    /// Applies a valid move; `label` is the id of the relation of the arc it adds.
    pub(crate) fn apply(&mut self, mv: usize, label: u16) {
        match mv {
            SHIFT => {
                self.stack.push(self.b0);
                self.b0 += 1;
            }
            LEFT | RIGHT => {
                let (dependent, head) = self.arc(mv);
                self.stack.pop();
                self.attach(dependent, head, label);
            }
            _ => {}
        }
    }

    fn attach(&mut self, dependent: u32, head: u32, label: u16) {
        let (d, h) = (dependent as usize, head as usize);
        self.heads[d] = head;
        self.labels[d] = label;
        let bit = 1u64 << label.min(63);
        if dependent < head {
            self.n_left[h] = self.n_left[h].saturating_add(1);
            self.left_labels[h] |= bit;
            if self.left1[h] == NONE || dependent < self.left1[h] {
                self.left2[h] = self.left1[h];
                self.left1[h] = dependent;
            } else if self.left2[h] == NONE || dependent < self.left2[h] {
                self.left2[h] = dependent;
            }
        } else {
            self.n_right[h] = self.n_right[h].saturating_add(1);
            self.right_labels[h] |= bit;
            if self.right1[h] == NONE || dependent > self.right1[h] {
                self.right2[h] = self.right1[h];
                self.right1[h] = dependent;
            } else if self.right2[h] == NONE || dependent > self.right2[h] {
                self.right2[h] = dependent;
            }
        }
    }

    /// The number of gold arcs that applying `mv` makes unreachable; `gold` holds the head of
    /// each word (`n` for the root). Exact for projective gold trees; for the others it counts
    /// the arcs that the move itself rules out.
    pub(crate) fn cost(&self, mv: usize, gold: &[u32]) -> u32 {
        let in_buffer = |position: u32| position >= self.b0 && position <= self.n;
        let dependents_in_buffer =
            |word: u32| (self.b0..self.n).filter(|&position| gold.get(position as usize) == Some(&word)).count() as u32;
        match mv {
            SHIFT => {
                let b0 = self.b0;
                let Some(&head) = gold.get(b0 as usize) else { return 0 };
                let below_top = &self.stack[..self.stack.len().saturating_sub(1)];
                // The root takes its word only from the bottom of the stack: a word pushed
                // onto another can no longer be it.
                let lost_head = u32::from(below_top.contains(&head) || (head == self.n && !self.stack.is_empty()));
                let lost_dependents = self.stack.iter().filter(|&&word| gold.get(word as usize) == Some(&b0)).count();
                lost_head + lost_dependents as u32
            }
            LEFT => {
                let s0 = self.stack_at(0);
                let Some(&head) = gold.get(s0 as usize) else { return 0 };
                let lost_head = if head == self.n {
                    u32::from(self.b0 != self.n && self.stack.len() == 1)
                } else {
                    u32::from(head != self.b0 && (head == self.stack_at(1) || in_buffer(head)))
                };
                lost_head + dependents_in_buffer(s0)
            }
            RIGHT => {
                let s0 = self.stack_at(0);
                let Some(&head) = gold.get(s0 as usize) else { return 0 };
                u32::from(head != self.n && in_buffer(head)) + dependents_in_buffer(s0)
            }
            _ => u32::MAX,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator for the tests.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, bound: u32) -> u32 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut value = self.0;
            value = (value ^ (value >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            value = (value ^ (value >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((value ^ (value >> 31)) % u64::from(bound)) as u32
        }
    }

    /// A random projective tree over `n` words with one word under the root (`n`).
    fn projective_tree(rng: &mut Rng, n: u32) -> Vec<u32> {
        loop {
            let root_word = rng.below(n);
            let heads: Vec<u32> = (0..n)
                .map(|word| {
                    if word == root_word {
                        return n;
                    }
                    let head = rng.below(n - 1);
                    if head >= word { head + 1 } else { head }
                })
                .collect();
            if is_tree(&heads) && is_projective(&heads) {
                return heads;
            }
        }
    }

    fn is_tree(heads: &[u32]) -> bool {
        let n = heads.len() as u32;
        (0..n).all(|start| {
            let mut word = start;
            for _ in 0..=n {
                if word == n {
                    return true;
                }
                word = heads[word as usize];
            }
            false
        })
    }

    fn is_projective(heads: &[u32]) -> bool {
        let n = heads.len() as u32;
        let spans: Vec<(u32, u32)> =
            (0..n).map(|word| (word.min(heads[word as usize]), word.max(heads[word as usize]))).collect();
        let crosses = |(a, b): (u32, u32), (c, d): (u32, u32)| a < c && c < b && b < d;
        spans.iter().all(|&first| spans.iter().all(|&second| !crosses(first, second)))
    }

    fn moves(state: &State) -> Vec<usize> {
        (0..N_MOVES).filter(|&mv| state.is_valid(mv)).collect()
    }

    /// The fewest wrong heads of any tree reachable from `state`, by exhaustive search.
    fn best_loss(state: &State, gold: &[u32]) -> u32 {
        let mut best = u32::MAX;
        let mut pending = vec![state.clone()];
        while let Some(current) = pending.pop() {
            if current.is_terminal() {
                let wrong = (0..current.n as usize).filter(|&word| current.heads[word] != gold[word]).count() as u32;
                best = best.min(wrong);
                continue;
            }
            for mv in moves(&current) {
                let mut next = current.clone();
                next.apply(mv, 0);
                pending.push(next);
            }
        }
        best
    }

    #[test]
    fn the_static_oracle_rebuilds_projective_trees() {
        let mut rng = Rng(7);
        for _ in 0..300 {
            let n = 1 + rng.below(12);
            let gold = projective_tree(&mut rng, n);
            let mut state = State::default();
            state.reset(n);
            let mut steps = 0;
            while !state.is_terminal() {
                let mv = moves(&state).into_iter().find(|&mv| state.cost(mv, &gold) == 0);
                let mv = mv.expect("some move keeps every gold arc");
                state.apply(mv, 0);
                steps += 1;
            }
            assert_eq!(steps, 2 * n);
            assert_eq!(&state.heads[..n as usize], &gold[..]);
        }
    }

    #[test]
    fn gold_moves_cost_nothing() {
        let gold = [1, 4, 1, 1];
        let mut state = State::default();
        state.reset(4);
        for mv in [SHIFT, LEFT, SHIFT, SHIFT, RIGHT, SHIFT, RIGHT, LEFT] {
            assert!(state.is_valid(mv));
            assert_eq!(state.cost(mv, &gold), 0, "move {mv} with stack {:?}", state.stack);
            state.apply(mv, 0);
        }
        assert!(state.is_terminal());
        assert_eq!(&state.heads[..4], &gold);
    }

    #[test]
    fn costs_match_exhaustive_search() {
        let mut rng = Rng(11);
        for _ in 0..60 {
            let n = 1 + rng.below(6);
            let gold = projective_tree(&mut rng, n);
            let mut state = State::default();
            state.reset(n);
            while !state.is_terminal() {
                let here = best_loss(&state, &gold);
                let valid = moves(&state);
                for &mv in &valid {
                    let mut next = state.clone();
                    next.apply(mv, 0);
                    let lost = best_loss(&next, &gold) - here;
                    assert_eq!(
                        state.cost(mv, &gold),
                        lost,
                        "move {mv}, stack {:?}, b0 {}, gold {gold:?}",
                        state.stack,
                        state.b0
                    );
                }
                let mv = valid[rng.below(valid.len() as u32) as usize];
                state.apply(mv, 0);
            }
        }
    }

    #[test]
    fn every_walk_ends_in_a_tree_with_one_root() {
        let mut rng = Rng(3);
        for _ in 0..200 {
            let n = rng.below(20);
            let mut state = State::default();
            state.reset(n);
            while !state.is_terminal() {
                let valid = moves(&state);
                state.apply(valid[rng.below(valid.len() as u32) as usize], 0);
            }
            let heads = &state.heads[..n as usize];
            assert!(is_tree(heads));
            assert_eq!(heads.iter().filter(|&&head| head == n).count(), usize::from(n > 0));
        }
    }
}
