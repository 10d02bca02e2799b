import { describeAttentionChecks } from '../test/attention-checks';
import { onLavapipe } from '../test/lavapipe';

/** The attention checks again on Mesa 25 lavapipe: another shader compiler than SwiftShader's. */
onLavapipe('attention on lavapipe', (driver) => describeAttentionChecks(driver, { large: false }));
