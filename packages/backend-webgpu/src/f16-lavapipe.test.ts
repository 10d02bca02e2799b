import { describeF16Checks } from '../test/f16-checks';
import { onLavapipe } from '../test/lavapipe';

/** The f16 checks on Mesa 25 lavapipe, a CPU Vulkan driver with shader-f16 (SwiftShader has none). */
onLavapipe('shader-f16 on lavapipe', (driver) => describeF16Checks(driver, true));
