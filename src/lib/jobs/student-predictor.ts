/**
 * @file Predicting with a stored classifier: the n-gram student directly, a head on embeddings
 * through its encoder (loaded by the caller, kept between uses).
 */
import { message } from '../i18n/messages';
import type { Encoder } from '../backends/encoder';
import { AppError } from '../domain/errors';
import type { ClassifierRecord } from '../domain/records';
import { fromClassifierFile } from '../ml/classifier-file';
import { predictDense } from '../ml/dense-head';
import { predictNgram } from '../ml/ngram-student';
import { argmax } from '../ml/training';
import type { StudentPredictor } from './evaluation-job';
import type { EncoderRef } from '../domain/student';

/**
 * @param record a stored classifier
 * @param encoderFor loads the encoder a head needs
 */
export async function studentPredictor(
  record: ClassifierRecord,
  encoderFor: (ref: EncoderRef) => Promise<Encoder>,
): Promise<StudentPredictor> {
  const { model, meta } = fromClassifierFile(record.file);
  if (model.kind === 'ngram')
    return async (texts) => texts.map((t) => model.labels[argmax(predictNgram(model, t))] as string);
  if (!meta.encoder) throw new AppError('invalid-file', message('err.noEncoder'));
  const encoder = await encoderFor(meta.encoder);
  return async (texts, signal) =>
    (
      await encoder.embed(
        texts.map((t) => t || ' '),
        signal,
      )
    ).map((x) => model.labels[argmax(predictDense(model, x))] as string);
}
