// wink-sentiment ships no types; this is the part of its API we use.
declare module 'wink-sentiment' {
  function sentiment(phrase: string): sentiment.WinkResult;
  namespace sentiment {
    interface WinkToken {
      value: string;
      /** word, emoji, emoticon, hashtag, mention, punctuation, number, url, email, ... */
      tag: string;
      /** AFINN-165 / emoji valence, -5..5, already negated when `negation` is set. */
      score?: number;
      /** A negator ("not", "never", "n't"...) stands one or two words before this word. */
      negation?: boolean;
      /** Set on the first token of a scored two-word phrase; the next token belongs to it. */
      grouped?: number;
    }
    interface WinkResult {
      score: number;
      normalizedScore: number;
      tokenizedPhrase?: WinkToken[];
    }
  }
  export = sentiment;
}
