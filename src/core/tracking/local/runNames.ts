// Generated run names in MLflow's style ("adjective-noun-123") for runs created without a name.
import crypto from 'node:crypto';

const ADJECTIVES = ['able', 'bold', 'brave', 'bright', 'calm', 'clever', 'crisp', 'dapper', 'eager', 'fair', 'gentle', 'glad', 'honest', 'keen', 'lively', 'lucky', 'merry', 'nimble', 'polite', 'quick', 'quiet', 'rare', 'sharp', 'shy', 'smooth', 'steady', 'sunny', 'swift', 'tidy', 'warm', 'wise', 'zesty'];
const NOUNS = ['ant', 'bass', 'bat', 'bear', 'bee', 'carp', 'cat', 'crab', 'crane', 'deer', 'doe', 'dove', 'eel', 'elk', 'finch', 'fox', 'frog', 'gnat', 'goat', 'hare', 'hawk', 'jay', 'lark', 'lynx', 'mole', 'moth', 'newt', 'owl', 'ram', 'seal', 'slug', 'wren'];

export function generateRunName(): string {
  const r = crypto.randomBytes(3);
  return `${ADJECTIVES[r[0] % ADJECTIVES.length]}-${NOUNS[r[1] % NOUNS.length]}-${r[2] % 1000}`;
}
